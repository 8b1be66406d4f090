import { describe, expect, it } from 'vitest';
import { Rng } from '../../random.js';
import { decimalsOf, profileColumn } from './batch-profile.js';
import { inFormat } from './trap-cells.js';

describe('inFormat', () => {
  it('keeps a round sum where the values around it are round sums too', () => {
    // Whole amounts below 5,000 (structured transfers), six decimals above.
    const values = [
      ...Array.from({ length: 60 }, (_, i) => 1000 + 50 * i),
      ...Array.from({ length: 60 }, (_, i) => 5000 + 1234.567891 * i),
    ];
    const col = profileColumn(Float64Array.from(values));
    const rng = new Rng(1, 'fmt');
    expect(inFormat(2075, col, rng)).toBe(2075);
  });

  it('writes a coarse value with the decimals real values of its size have', () => {
    const values = Array.from({ length: 100 }, (_, i) => 10 + i * 0.123457);
    const col = profileColumn(Float64Array.from(values));
    const rng = new Rng(2, 'fmt');
    const v = inFormat(15, col, rng);
    expect(decimalsOf(v)).toBe(6);
    expect(Math.abs(v - 15)).toBeLessThanOrEqual(0.5);
  });

  it('follows significant digits: few decimals on large values, many on small ones', () => {
    // A producer printing six significant digits.
    const values = Array.from({ length: 200 }, (_, i) => Number((0.5 * 1.07 ** i).toPrecision(6)));
    const col = profileColumn(Float64Array.from(values));
    const rng = new Rng(3, 'fmt');
    // 123456.5 has one decimal like its neighbours: kept. 1.5 among six-decimal neighbours: padded.
    expect(inFormat(123456.5, col, rng)).toBe(123456.5);
    expect(decimalsOf(inFormat(1.5, col, rng))).toBeGreaterThanOrEqual(4);
  });

  it('rounds a value finer than the column is ever written', () => {
    const col = profileColumn(Float64Array.from([1.25, 2.5, 3.75, 4.5]));
    expect(inFormat(2.123456, col, new Rng(4, 'fmt'))).toBe(2.12);
  });
});
