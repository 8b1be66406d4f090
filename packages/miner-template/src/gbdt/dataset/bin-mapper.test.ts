import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MissingType } from '../model.js';
import { buildBinMapper, featureInfo, valueToBin } from './bin-mapper.js';

const value = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer({ min: -5, max: 5 }),
  fc.constant(Number.NaN),
);

describe('buildBinMapper', () => {
  it('keeps bins monotone in value, NaN in its own bin, and at most max_bin bins', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (values, maxBin, minDataInBin) => {
          const m = buildBinMapper(values, { maxBin, minDataInBin });
          expect(m.numBins).toBeLessThanOrEqual(maxBin);
          const hasNan = values.some(Number.isNaN);
          expect(m.missingType).toBe(hasNan ? MissingType.NaN : MissingType.None);
          const finite = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
          for (let i = 1; i < finite.length; i++) {
            expect(valueToBin(m, finite[i - 1])).toBeLessThanOrEqual(valueToBin(m, finite[i]));
          }
          for (const v of finite) {
            const b = valueToBin(m, v);
            // Bin b holds exactly the values in (upper[b-1], upper[b]].
            expect(v).toBeLessThanOrEqual(m.upperBounds[b]);
            if (b > 0) expect(v).toBeGreaterThan(m.upperBounds[b - 1]);
            if (hasNan) expect(b).not.toBe(m.nanBin);
          }
          if (hasNan) expect(valueToBin(m, Number.NaN)).toBe(m.numBins - 1);
          else expect(valueToBin(m, Number.NaN)).toBe(valueToBin(m, 0));
        },
      ),
    );
  });

  it('balances bins by quantile on distinct values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 3000 }), fc.integer({ min: 4, max: 64 }), (n, maxBin) => {
        const values = Array.from({ length: n }, (_, i) => (i * 7919) % n); // a permutation of 0..n-1
        const m = buildBinMapper(values, { maxBin, minDataInBin: 1 });
        const counts = new Array(m.numBins).fill(0);
        for (const v of values) counts[valueToBin(m, v)]++;
        expect(m.numBins).toBe(Math.min(maxBin, n));
        const fair = Math.ceil(n / maxBin);
        for (const c of counts) {
          expect(c).toBeGreaterThanOrEqual(1);
          expect(c).toBeLessThanOrEqual(2 * fair);
        }
      }),
    );
  });

  it('gives every distinct value its own bin when there are few, subject to min_data_in_bin', () => {
    const values = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4];
    const m = buildBinMapper(values, { maxBin: 255, minDataInBin: 3 });
    // 4 alone is below min_data_in_bin, so it shares the last bin with 3.
    expect(Array.from(m.upperBounds)).toEqual([1.5, 2.5, Number.POSITIVE_INFINITY]);
    expect(featureInfo(m)).toBe('[1:4]');
  });

  it('marks constant and all-NaN features trivial ("none")', () => {
    expect(buildBinMapper([5, 5, 5], { maxBin: 255, minDataInBin: 1 }).isTrivial).toBe(true);
    expect(featureInfo(buildBinMapper([Number.NaN, Number.NaN], { maxBin: 255, minDataInBin: 1 }))).toBe(
      'none',
    );
    const withNan = buildBinMapper([5, Number.NaN, 5], { maxBin: 255, minDataInBin: 1 });
    expect(withNan.isTrivial).toBe(false);
    expect(withNan.numBins).toBe(2);
  });
});
