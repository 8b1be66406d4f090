import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { greedyFindBin, nextUp, withinOneUlp } from './greedy-bins.js';

describe('nextUp', () => {
  it('is the next double above x: larger, with nothing in between', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const up = nextUp(x);
        expect(up).toBeGreaterThan(x);
        // no double lies strictly between x and up: their midpoint rounds onto one of them
        const mid = x / 2 + up / 2;
        expect(mid === x || mid === up).toBe(true);
        expect(withinOneUlp(x, up)).toBe(true);
      }),
    );
  });

  it('handles zero, the smallest subnormals and the largest finite double', () => {
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextUp(-0)).toBe(Number.MIN_VALUE);
    expect(Object.is(nextUp(-Number.MIN_VALUE), -0)).toBe(true);
    expect(nextUp(Number.MAX_VALUE)).toBe(Number.POSITIVE_INFINITY);
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
  });
});

describe('greedyFindBin', () => {
  it('gives values with a mean bin of samples their own bin and cuts the rest at the running mean', () => {
    // 10 distinct values, 4 bins, min_data_in_bin 1: value 5 holds 40 of 58 samples (a big value)
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const counts = [2, 2, 2, 2, 40, 2, 2, 2, 2, 2];
    const bounds = greedyFindBin(values, counts, 0, 10, 4, 58, 1);
    // mean 58/4 = 14.5 makes 5 a big value; the other 18 samples share 3 bins (mean 6): 1..3
    // closes at 6 samples; 4 alone (2) is under half the mean when the big value comes, so it
    // joins it; 5 closes its bin; 6..8 close at 6 and the bin budget (3 cuts) is spent
    expect(bounds).toEqual([nextUp(3.5), nextUp(5.5), nextUp(8.5), Number.POSITIVE_INFINITY]);
  });
});
