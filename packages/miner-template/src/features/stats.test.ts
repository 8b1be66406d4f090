import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanAndStd, pearson, percentileRanks, zScores } from './stats.js';

/** Brute-force reference: (number below + (number equal + 1) / 2) / n, over non-NaN values. */
function referencePct(values: number[]): number[] {
  const present = values.filter((v) => !Number.isNaN(v));
  return values.map((v) => {
    if (Number.isNaN(v)) return Number.NaN;
    const below = present.filter((x) => x < v).length;
    const equal = present.filter((x) => x === v).length;
    return (below + (equal + 1) / 2) / present.length;
  });
}

// Subnormal magnitudes are flushed to 0: below ~1e-308 halving is inexact and no z-score is exact.
const valuesWithGaps = fc.array(
  fc.oneof(
    fc.constant(Number.NaN),
    fc.integer({ min: -5, max: 5 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => (Math.abs(v) < 1e-300 ? 0 : v)),
  ),
  { maxLength: 60 },
);

describe('percentileRanks', () => {
  it('averages ties and keeps NaN', () => {
    const out = percentileRanks(Float64Array.from([3, 1, Number.NaN, 1, 2]));
    // sorted present: 1, 1, 2, 3 → ranks 1.5, 1.5, 3, 4 over n = 4
    expect([...out]).toEqual([1, 0.375, Number.NaN, 0.375, 0.75]);
  });

  it('matches the brute-force definition and stays in (0, 1]', () => {
    fc.assert(
      fc.property(valuesWithGaps, (values) => {
        const out = [...percentileRanks(Float64Array.from(values))];
        const expected = referencePct(values);
        for (let i = 0; i < values.length; i++) {
          if (Number.isNaN(expected[i]!)) expect(out[i]).toBeNaN();
          else {
            expect(out[i]).toBeCloseTo(expected[i]!, 12);
            expect(out[i]).toBeGreaterThan(0);
            expect(out[i]).toBeLessThanOrEqual(1);
          }
        }
      }),
    );
  });
});

describe('zScores', () => {
  it('hand example: [1, 2, 3] → [−√1.5, 0, √1.5]', () => {
    const out = zScores(Float64Array.from([1, Number.NaN, 2, 3]));
    expect(out[0]).toBeCloseTo(-Math.sqrt(1.5), 12);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(0);
    expect(out[3]).toBeCloseTo(Math.sqrt(1.5), 12);
  });

  it('is 0 for a constant column', () => {
    expect([...zScores(Float64Array.from([4, 4, Number.NaN]))]).toEqual([0, 0, Number.NaN]);
  });

  it('has mean ≈ 0 and population std ≈ 1 over the present values', () => {
    fc.assert(
      fc.property(valuesWithGaps, (values) => {
        const z = zScores(Float64Array.from(values));
        const present = [...z].filter((v) => !Number.isNaN(v));
        expect(present.length).toBe(values.filter((v) => !Number.isNaN(v)).length);
        if (present.length === 0) return;
        const { mean, std } = meanAndStd(Float64Array.from(present));
        expect(Math.abs(mean)).toBeLessThan(1e-9);
        expect(std === 0 || Math.abs(std - 1) < 1e-9).toBe(true);
      }),
    );
  });
});

describe('pearson', () => {
  it('skips rows where either side is NaN', () => {
    expect(pearson([1, 2, Number.NaN, 3], [2, 4, 100, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('hand example: x = [1,2,3,4], y = [1,3,2,4] → 0.8', () => {
    // dx = [-1.5, -.5, .5, 1.5], dy = [-1.5, .5, -.5, 1.5]: Σdxdy = 4, Σdx² = Σdy² = 5
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
  });

  it('is NaN when undefined (constant side or < 2 shared rows)', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(pearson([1, Number.NaN], [Number.NaN, 2])).toBeNaN();
  });
});
