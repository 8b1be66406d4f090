import { describe, expect, it } from 'vitest';
import { selectFeatures } from './feature-selector.js';
import type { FeatureMatrix } from './types.js';

/** Builds a row-major matrix from named columns. */
function matrixOf(columns: Record<string, number[]>): FeatureMatrix {
  const names = Object.keys(columns);
  const numRows = columns[names[0]!]!.length;
  const values = new Float32Array(numRows * names.length);
  names.forEach((name, c) => {
    columns[name]!.forEach((v, r) => {
      values[r * names.length + c] = v;
    });
  });
  return { names, values, numRows, rowIds: Array.from({ length: numRows }, (_, r) => `r${r}`) };
}

const N = Number.NaN;
const base = [1, 5, 2, 8, 3, 9, 4, 7];

describe('selectFeatures', () => {
  it('drops constant, all-missing and duplicated columns, keeping the earlier twin by default', () => {
    const m = matrixOf({
      x: base,
      constant: [3, 3, 3, 3, 3, 3, 3, N],
      empty: [N, N, N, N, N, N, N, N],
      x_copy: base,
      y: [2, 1, 2, 1, 2, 1, 2, 2],
      x_negated: base.map((v) => -2 * v + 1),
    });
    const out = selectFeatures({ matrix: m });
    expect(out.kept).toEqual(['x', 'y']);
    expect(out.dropped).toEqual([
      { name: 'constant', reason: 'constant' },
      { name: 'empty', reason: 'all_missing' },
      { name: 'x_copy', reason: 'correlated_with:x' },
      { name: 'x_negated', reason: 'correlated_with:x' },
    ]);
  });

  it('keeps the more important column of a correlated pair', () => {
    const m = matrixOf({
      x: base,
      x_noisy: base.map((v, i) => v + (i % 2 ? 0.01 : -0.01)),
      y: [2, 1, 2, 1, 2, 1, 2, 2],
    });
    const importances = new Map([
      ['x', 1],
      ['x_noisy', 5],
      ['y', 2],
    ]);
    const out = selectFeatures({ matrix: m, importances });
    expect(out.kept).toEqual(['x_noisy', 'y']);
    expect(out.dropped).toEqual([{ name: 'x', reason: 'correlated_with:x_noisy' }]);
  });

  it('drops zero-importance columns only when importances are given', () => {
    const m = matrixOf({ x: base, y: [2, 1, 2, 1, 2, 1, 2, 2], z: [0, 1, 1, 0, 0, 1, 0, 1] });
    const out = selectFeatures({
      matrix: m,
      importances: new Map([
        ['y', 0],
        ['x', 3],
      ]),
    });
    expect(out.kept).toEqual(['x', 'z']);
    expect(out.dropped).toEqual([{ name: 'y', reason: 'low_importance' }]);
    expect(selectFeatures({ matrix: m }).kept).toEqual(['x', 'y', 'z']);
  });

  it('uses |correlation with the label| to break a correlated pair when no importances exist', () => {
    const label = [0, 1, 0, 1, 0, 1, 0, 1];
    // b tracks the label better than a; a and b are correlated above 0.98 with each other
    const a = [1, 5, 2, 8, 3, 9, 4, 7];
    const b = a.map((v, i) => v + (label[i] ? 0.2 : 0));
    const out = selectFeatures({ matrix: matrixOf({ a, b }), label });
    expect(out.kept).toEqual(['b']);
    expect(out.dropped).toEqual([{ name: 'a', reason: 'correlated_with:b' }]);
  });

  it('respects the thresholds', () => {
    const m = matrixOf({
      sparse: [1, 3, N, N, N, N, N, 2],
      tiny: [0, 1e-5, 0, 1e-5, 0, 1e-5, 0, 1e-5],
    });
    expect(selectFeatures({ matrix: m, maxNaNFraction: 0.5 }).dropped[0]).toEqual({
      name: 'sparse',
      reason: 'all_missing',
    });
    expect(selectFeatures({ matrix: m }).kept).toEqual(['sparse', 'tiny']);
    expect(selectFeatures({ matrix: m, minVariance: 1e-12 }).kept).toContain('tiny');
    expect(selectFeatures({ matrix: m, minVariance: 1e-10 }).dropped).toContainEqual({
      name: 'tiny',
      reason: 'constant',
    });
  });

  it('is deterministic', () => {
    const m = matrixOf({ a: base, b: base, c: [1, 2, 1, 2, 1, 2, 1, 2] });
    expect(selectFeatures({ matrix: m })).toEqual(selectFeatures({ matrix: m }));
  });
});
