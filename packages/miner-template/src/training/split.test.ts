import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldSplit, stratifiedFolds, stratifiedSplit } from './split.js';

const labelled = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.boolean()), { minLength: 1, maxLength: 300 })
  .map((rows) => ({
    batchIndex: Int32Array.from(rows, ([b]) => b),
    label: Float64Array.from(rows, ([, y]) => (y ? 1 : 0)),
  }));

describe('stratifiedSplit', () => {
  it('property: a partition of all rows, sorted, with each stratum split to within one row of the fraction', () => {
    fc.assert(
      fc.property(
        labelled,
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer(),
        ({ label, batchIndex }, frac, seed) => {
          const { train, test } = stratifiedSplit(label, batchIndex, frac, seed);
          const all = [...train, ...test].sort((a, b) => a - b);
          expect(all).toEqual(Array.from({ length: label.length }, (_, i) => i));
          for (const part of [train, test])
            for (let i = 1; i < part.length; i++) expect(part[i]).toBeGreaterThan(part[i - 1]);
          for (const b of [0, 1, 2])
            for (const y of [0, 1]) {
              const size = label.filter((l, i) => l === y && batchIndex[i] === b).length;
              const inTest = Array.from(test).filter((i) => label[i] === y && batchIndex[i] === b).length;
              expect(Math.abs(inTest - size * frac)).toBeLessThanOrEqual(0.5 + 1e-9);
            }
        },
      ),
    );
  });

  it('is deterministic in the seed', () => {
    const label = Float64Array.from({ length: 100 }, (_, i) => (i % 7 === 0 ? 1 : 0));
    const batchIndex = new Int32Array(100);
    expect(stratifiedSplit(label, batchIndex, 0.2, 5)).toEqual(stratifiedSplit(label, batchIndex, 0.2, 5));
    expect(stratifiedSplit(label, batchIndex, 0.2, 5).test).not.toEqual(
      stratifiedSplit(label, batchIndex, 0.2, 6).test,
    );
  });
});

describe('stratifiedFolds', () => {
  it('property: every row in exactly one fold, fold sizes within one row of each other per stratum', () => {
    fc.assert(
      fc.property(
        labelled,
        fc.integer({ min: 2, max: 7 }),
        fc.integer(),
        ({ label, batchIndex }, k, seed) => {
          const fold = stratifiedFolds(label, batchIndex, k, seed);
          const sizes = new Array(k).fill(0);
          for (const f of fold) sizes[f]++;
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          let total = 0;
          for (let f = 0; f < k; f++) total += foldSplit(fold, f).test.length;
          expect(total).toBe(label.length);
        },
      ),
    );
  });
});
