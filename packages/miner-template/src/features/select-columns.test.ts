import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAmlError } from '../errors.js';
import { alertFeatureNames, buildAlertFeatures } from './alert-features.js';
import { assertFeatureContract, selectColumns } from './select-columns.js';
import { HAND_BATCH, makeBatch } from './test-batch.test-support.js';
import type { FeatureMatrix } from './types.js';

/** 2 rows × 3 columns: cell (r, c) = 10·r + c. */
const small: FeatureMatrix = {
  names: ['a', 'b', 'c'],
  values: Float32Array.from([0, 1, 2, 10, 11, 12]),
  numRows: 2,
  rowIds: ['r0', 'r1'],
};

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('selectColumns', () => {
  it("reorders and subsets to the model's order", () => {
    const out = selectColumns(small, ['c', 'a']);
    expect(out.names).toEqual(['c', 'a']);
    expect([...out.values]).toEqual([2, 0, 12, 10]);
    expect(out.rowIds).toEqual(['r0', 'r1']);
    expect(out.numRows).toBe(2);
  });

  it('throws AML_ERR_MODEL_FEATURE_MISMATCH naming every missing column', () => {
    const err = catchError(() => selectColumns(small, ['a', 'zz', 'b', 'yy', 'zz'], 'alert_scorer'));
    expect(isAmlError(err)).toBe(true);
    if (!isAmlError(err)) return;
    expect(err.code).toBe('AML_ERR_MODEL_FEATURE_MISMATCH');
    expect(err.message).toContain('alert_scorer');
    expect(err.message).toContain('zz, yy');
    expect(err.details).toEqual({ missing: ['zz', 'yy'] });
  });

  it('moves every cell to the right place (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(['a', 'b', 'c'], { minLength: 1 }), (order) => {
        const out = selectColumns(small, order);
        for (let r = 0; r < 2; r++) {
          order.forEach((name, k) => {
            expect(out.values[r * order.length + k]).toBe(10 * r + ['a', 'b', 'c'].indexOf(name));
          });
        }
      }),
    );
  });

  it('serves a model trained with one column order on a freshly built matrix', () => {
    const m = buildAlertFeatures(makeBatch(HAND_BATCH));
    const modelNames = [...m.names].reverse();
    const out = selectColumns(m, modelNames);
    const r = 1;
    modelNames.forEach((name, k) => {
      expect(
        Object.is(
          out.values[r * modelNames.length + k],
          m.values[r * m.names.length + m.names.indexOf(name)],
        ),
      ).toBe(true);
    });
  });
});

describe('assertFeatureContract', () => {
  it('accepts a model that uses a subset of the builder columns', () => {
    expect(() => assertFeatureContract(['alert_severity', 'flow_in_usd'], alertFeatureNames())).not.toThrow();
  });

  it('rejects a model that needs an extra the builder is not configured for', () => {
    const err = catchError(() =>
      assertFeatureContract(['addr_custom_x'], alertFeatureNames(), 'alert_ranker'),
    );
    expect(isAmlError(err) && err.code).toBe('AML_ERR_MODEL_FEATURE_MISMATCH');
    expect((err as Error).message).toContain('addr_custom_x');
    expect(() =>
      assertFeatureContract(['addr_custom_x'], alertFeatureNames({ extraFeatureColumns: ['custom_x'] })),
    ).not.toThrow();
  });
});
