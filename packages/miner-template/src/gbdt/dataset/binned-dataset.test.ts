import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBinMapper, valueToBin } from './bin-mapper.js';
import { binWithMappers } from './binned-dataset.js';

// skewed, clustered, huge, tiny and infinite values, so bucket widths and bin widths disagree
const value = fc.oneof(
  fc.double({ min: -1e3, max: 1e3, noNaN: true }),
  fc.double({ noNaN: true }),
  fc.double({ min: -1e-300, max: 1e-300, noNaN: true }),
  fc.integer({ min: -4, max: 4 }).map((k) => 1 + k * 2 ** -50),
  fc.constantFrom(Number.NaN, 0, -Infinity, Infinity, Number.MAX_VALUE, -Number.MAX_VALUE),
);

describe('binWithMappers', () => {
  it('puts every value in the bin a plain binary search over the bounds gives', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 300 }),
        fc.array(value, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 2, max: 64 }),
        (sample, rows, maxBin) => {
          const mapper = buildBinMapper(sample, { maxBin, minDataInBin: 1 });
          const data = binWithMappers(
            {
              columns: [Float64Array.from(rows)],
              numRows: rows.length,
              featureNames: ['x'],
              label: new Float64Array(rows.length),
            },
            [mapper],
          );
          expect(Array.from(data.bins)).toEqual(rows.map((v) => valueToBin(mapper, v)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
