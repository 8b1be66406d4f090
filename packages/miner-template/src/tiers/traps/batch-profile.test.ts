import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileOf } from './batch-profile.js';

/** The definition: the mid-rank of v's run of ties (where it would go, if absent), scaled to [0, 1]. */
function reference(sorted: Float64Array, v: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(v)) return Number.NaN;
  let below = 0;
  let equal = 0;
  for (const x of sorted) {
    if (x < v) below++;
    else if (x === v) equal++;
  }
  const end = below + equal;
  return n === 1 ? 0.5 : (below + end - 1) / 2 / (n - 1);
}

describe('quantileOf', () => {
  it('is the mid-rank of the value in the sorted column, ties and absent values included', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true }), fc.constant(-0));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), value, (values, v) => {
        const sorted = Float64Array.from(values).sort();
        for (const probe of [v, ...values.slice(0, 5)]) {
          expect(Object.is(quantileOf(sorted, probe), reference(sorted, probe))).toBe(true);
        }
      }),
    );
  });

  it('places a value inside a long run of ties at the middle of the run', () => {
    const sorted = Float64Array.from([...Array(7000).fill(0), ...Array(3000).fill(1)]);
    expect(quantileOf(sorted, 0)).toBeCloseTo(3499.5 / 9999, 12);
    expect(quantileOf(sorted, 1)).toBeCloseTo(8499.5 / 9999, 12);
    expect(quantileOf(sorted, 0.5)).toBeCloseTo(6999.5 / 9999, 12);
  });
});
