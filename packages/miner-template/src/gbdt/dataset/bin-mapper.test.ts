import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MissingType } from '../model.js';
import { buildBinMapper, featureInfo, K_ZERO_THRESHOLD, valueToBin } from './bin-mapper.js';

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

  it('gives every distinct value its own bin when there are few, closing a bin at min_data_in_bin', () => {
    const values = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4];
    const m = buildBinMapper(values, { maxBin: 255, minDataInBin: 3 });
    // an empty zero bin first; bounds sit one ulp above the midpoints; 4 (below min_data_in_bin)
    // still ends in the last, open bin
    expect(Array.from(m.upperBounds)).toEqual([
      K_ZERO_THRESHOLD,
      1.5000000000000002,
      2.5000000000000004,
      3.5000000000000004,
      Number.POSITIVE_INFINITY,
    ]);
    expect(featureInfo(m)).toBe('[1:4]');
    const coarse = buildBinMapper(values, { maxBin: 255, minDataInBin: 4 });
    expect(Array.from(coarse.upperBounds)).toEqual([
      K_ZERO_THRESHOLD,
      2.5000000000000004,
      Number.POSITIVE_INFINITY,
    ]);
  });

  it('gives zero its own bin between separately binned negatives and positives', () => {
    const values = [-2, -1, 0, 0, 1, 2, 1e-36];
    const m = buildBinMapper(values, { maxBin: 255, minDataInBin: 1 });
    expect(Array.from(m.upperBounds)).toEqual([
      -1.4999999999999998,
      -K_ZERO_THRESHOLD,
      K_ZERO_THRESHOLD,
      1.5000000000000002,
      Number.POSITIVE_INFINITY,
    ]);
    expect(m.zeroBin).toBe(2);
    expect(valueToBin(m, 1e-36)).toBe(2);
    expect(valueToBin(m, Number.NaN)).toBe(2);
    expect(m.missingType).toBe(MissingType.None);
    expect(m.missingBin).toBe(-1);
    expect(featureInfo(m)).toBe('[-2:2]');
  });

  it('handles use_missing and zero_as_missing as LightGBM does', () => {
    const values = [-3, -1, 0, Number.NaN, 2, 5, 7];
    const nan = buildBinMapper(values, { maxBin: 255, minDataInBin: 1 });
    expect(nan.missingType).toBe(MissingType.NaN);
    expect(nan.missingBin).toBe(nan.numBins - 1);
    expect(valueToBin(nan, Number.NaN)).toBe(nan.numBins - 1);
    const off = buildBinMapper(values, { maxBin: 255, minDataInBin: 1, useMissing: false });
    expect(off.missingType).toBe(MissingType.None);
    expect(valueToBin(off, Number.NaN)).toBe(off.zeroBin);
    const zero = buildBinMapper(values, { maxBin: 255, minDataInBin: 1, zeroAsMissing: true });
    expect(zero.missingType).toBe(MissingType.Zero);
    expect(zero.numBins).toBe(off.numBins);
    expect(zero.missingBin).toBe(zero.zeroBin);
    expect(valueToBin(zero, Number.NaN)).toBe(zero.zeroBin);
    // only the zero bin and one more: nothing to tell missing from, so missing type None
    expect(buildBinMapper([0, 4, 4], { maxBin: 255, minDataInBin: 1, zeroAsMissing: true }).missingType).toBe(
      MissingType.None,
    );
  });

  it('marks features no split can use trivial ("none") under feature_pre_filter', () => {
    expect(buildBinMapper([0, 0, 0], { maxBin: 255, minDataInBin: 1 }).isTrivial).toBe(true);
    // a constant non-zero feature has an empty zero bin and its own: the pre-filter drops it
    expect(buildBinMapper([5, 5, 5], { maxBin: 255, minDataInBin: 1 }).isTrivial).toBe(false);
    expect(buildBinMapper([5, 5, 5], { maxBin: 255, minDataInBin: 1, minSplitData: 1 }).isTrivial).toBe(true);
    expect(
      featureInfo(
        buildBinMapper([Number.NaN, Number.NaN], { maxBin: 255, minDataInBin: 1, minSplitData: 1 }),
      ),
    ).toBe('none');
    const withNan = buildBinMapper([5, Number.NaN, 5], { maxBin: 255, minDataInBin: 1, minSplitData: 1 });
    expect(withNan.isTrivial).toBe(false);
    expect(withNan.numBins).toBe(3);
    expect(buildBinMapper([1, 2, 3, 4], { maxBin: 255, minDataInBin: 1, minSplitData: 3 }).isTrivial).toBe(
      true,
    );
    expect(
      buildBinMapper([1, 2, 3, 4, 5, 6], { maxBin: 255, minDataInBin: 1, minSplitData: 3 }).isTrivial,
    ).toBe(false);
  });
});
