import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBinMapper } from '../dataset/bin-mapper.js';
import { binWithMappers } from '../dataset/binned-dataset.js';
import { buildHistogram, createHistogramScratch, subtractHistogram } from './histogram.js';
import { emptySplit, findBestThreshold, leafGain, type SplitParams } from './split-finder.js';

/** Tiny single-feature data: small integer values, some NaN, random gradients and hessians. */
const rowsArb = fc.array(
  fc.record({
    v: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(Number.NaN)),
    g: fc.double({ min: -2, max: 2, noNaN: true }),
    h: fc.double({ min: 0.01, max: 1, noNaN: true }),
  }),
  { minLength: 2, maxLength: 40 },
);
const paramsArb = fc.record({
  lambdaL1: fc.constantFrom(0, 0.3),
  lambdaL2: fc.constantFrom(0, 1),
  minDataInLeaf: fc.integer({ min: 1, max: 4 }),
  minSumHessianInLeaf: fc.constantFrom(0, 0.5),
  minGainToSplit: fc.constantFrom(0, 0.1),
});

/** Best gain over every value threshold and both NaN directions, from raw rows. */
function bruteForceGain(values: number[], g: number[], h: number[], p: SplitParams): number {
  const G = g.reduce((a, b) => a + b, 0);
  const H = h.reduce((a, b) => a + b, 0);
  const shift = leafGain(G, H, p) + p.minGainToSplit;
  const distinct = [...new Set(values.filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  let best = Number.NEGATIVE_INFINITY;
  for (const t of distinct) {
    for (const nanLeft of [true, false]) {
      let lg = 0;
      let lh = 0;
      let lc = 0;
      for (let i = 0; i < values.length; i++) {
        const left = Number.isNaN(values[i]) ? nanLeft : values[i] <= t;
        if (left) {
          lg += g[i];
          lh += h[i];
          lc++;
        }
      }
      const rc = values.length - lc;
      if (lc < p.minDataInLeaf || rc < p.minDataInLeaf) continue;
      if (lh < p.minSumHessianInLeaf || H - lh < p.minSumHessianInLeaf) continue;
      if (lc === 0 || rc === 0) continue;
      const gain = leafGain(lg, lh, p) + leafGain(G - lg, H - lh, p);
      if (gain > shift) best = Math.max(best, gain - shift);
    }
  }
  return best;
}

describe('findBestThreshold', () => {
  it('finds the brute-force best gain over thresholds and missing directions', () => {
    fc.assert(
      fc.property(rowsArb, paramsArb, (rows, p) => {
        const values = rows.map((r) => r.v);
        const g = Float64Array.from(rows, (r) => r.g);
        const h = Float64Array.from(rows, (r) => r.h);
        const mapper = buildBinMapper(values, { maxBin: 255, minDataInBin: 1 });
        const data = binWithMappers(
          {
            columns: [values],
            numRows: rows.length,
            featureNames: ['x'],
            label: new Float64Array(rows.length),
          },
          [mapper],
        );
        const hist = new Float64Array(data.binOffsets[1] * 3);
        const input = {
          bins: data.bins,
          numRows: rows.length,
          binOffsets: data.binOffsets,
          grad: g,
          hess: h,
        };
        buildHistogram(
          input,
          Int32Array.of(0),
          null,
          0,
          rows.length,
          createHistogramScratch(rows.length),
          hist,
        );
        const best = emptySplit();
        const G = g.reduce((a, b) => a + b, 0);
        const H = h.reduce((a, b) => a + b, 0);
        findBestThreshold(hist, 0, mapper, 0, G, H, rows.length, p, best);
        const expected = bruteForceGain(values, Array.from(g), Array.from(h), p);
        if (expected === Number.NEGATIVE_INFINITY) expect(best.gain).toBe(Number.NEGATIVE_INFINITY);
        else {
          expect(best.gain).toBeCloseTo(expected, 9);
          expect(best.leftCount + best.rightCount).toBe(rows.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('histogram subtraction', () => {
  it('parent minus one child equals the other child built from rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 4 }), fc.boolean()), {
          minLength: 1,
          maxLength: 80,
        }),
        (rows) => {
          const n = rows.length;
          const cols = [rows.map((r) => r[0]), rows.map((r) => r[1])];
          const mappers = cols.map((c) => buildBinMapper(c, { maxBin: 255, minDataInBin: 1 }));
          const data = binWithMappers(
            { columns: cols, numRows: n, featureNames: ['a', 'b'], label: new Float64Array(n) },
            mappers,
          );
          const grad = Float64Array.from(rows, (_, i) => (i % 5) - 2);
          const hess = Float64Array.from(rows, (_, i) => 1 + (i % 3));
          const input = { bins: data.bins, numRows: n, binOffsets: data.binOffsets, grad, hess };
          const features = Int32Array.of(0, 1);
          const size = data.binOffsets[2] * 3;
          const scratch = createHistogramScratch(n);
          const all = Int32Array.from(rows, (_, i) => i);
          const left = Int32Array.from(all.filter((i) => rows[i][2]));
          const right = Int32Array.from(all.filter((i) => !rows[i][2]));
          const parent = new Float64Array(size);
          const hl = new Float64Array(size);
          const hr = new Float64Array(size);
          buildHistogram(input, features, all, 0, n, scratch, parent);
          buildHistogram(input, features, left, 0, left.length, scratch, hl);
          buildHistogram(input, features, right, 0, right.length, scratch, hr);
          subtractHistogram(data.binOffsets, features, parent, hl, parent);
          for (let s = 0; s < size; s++) expect(parent[s]).toBeCloseTo(hr[s], 9);
        },
      ),
    );
  });
});
