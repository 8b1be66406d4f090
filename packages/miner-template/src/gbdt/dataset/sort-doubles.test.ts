import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortDoubles } from './sort-doubles.js';

// doubles of every kind but NaN: signed zeros, subnormals, infinities, huge and tiny magnitudes
const anyDouble = fc.oneof(
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Infinity, Infinity),
  fc.integer({ min: -3, max: 3 }),
);

describe('sortDoubles', () => {
  it('orders arrays long enough for the radix path as Float64Array.sort does, bit for bit', () => {
    fc.assert(
      fc.property(fc.array(anyDouble, { minLength: 65536, maxLength: 66000 }), (values) => {
        const expected = Float64Array.from(values).sort();
        const got = sortDoubles(Float64Array.from(values));
        expect(Array.from(got, (v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(
          Array.from(expected, (v) => (Object.is(v, -0) ? '-0' : String(v))),
        );
      }),
      { numRuns: 10 },
    );
  });

  it('sorts a subarray in place without touching the rest of its buffer', () => {
    const buffer = new Float64Array(70002).fill(7);
    const view = buffer.subarray(1, 70001);
    for (let i = 0; i < view.length; i++) view[i] = ((i * 7919) % 70000) - 35000.5;
    sortDoubles(view);
    expect(buffer[0]).toBe(7);
    expect(buffer[70001]).toBe(7);
    expect(view[0]).toBe(-35000.5);
    expect(view[69999]).toBe(34998.5);
    for (let i = 1; i < view.length; i++) expect(view[i]).toBeGreaterThan(view[i - 1] as number);
  });
});
