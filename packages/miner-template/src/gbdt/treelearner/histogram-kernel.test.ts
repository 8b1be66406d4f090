import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { buildBinMapper } from '../dataset/bin-mapper.js';
import { binWithMappers } from '../dataset/binned-dataset.js';
import { DataPartition } from './data-partition.js';
import { buildHistogram, createHistogramScratch, fixMostFreqBins, subtractHistogram } from './histogram.js';
import { HistogramKernel } from './histogram-kernel.js';
import { HISTOGRAM_WASM_BASE64 } from './histogram-wasm.js';
import { UNCONSTRAINED } from './leaf-math.js';
import { emptySplit, findBestNumerical } from './split-finder.js';
import { splitParamsArb } from './split-params.test-support.js';

describe('HistogramKernel', () => {
  it('ships the bytes histogram.wat compiles to', async () => {
    const wabt = await wabtInit();
    const wat = readFileSync(new URL('./histogram.wat', import.meta.url), 'utf8');
    const bytes = Buffer.from(wabt.parseWat('histogram.wat', wat).toBinary({}).buffer);
    expect(bytes.toString('base64')).toBe(HISTOGRAM_WASM_BASE64);
  });

  it('builds the same histograms as the JavaScript loops, bit for bit, for all rows and listed rows', () => {
    const problem = fc
      .record({
        numRows: fc.integer({ min: 1, max: 300 }),
        binsPerFeature: fc.array(fc.integer({ min: 1, max: 256 }), { minLength: 1, maxLength: 11 }),
        seed: fc.integer(),
      })
      .chain(({ numRows, binsPerFeature, seed }) =>
        fc.record({
          numRows: fc.constant(numRows),
          binsPerFeature: fc.constant(binsPerFeature),
          seed: fc.constant(seed),
          // a leaf: some rows in some order, and the features to build
          leaf: fc.uniqueArray(fc.integer({ min: 0, max: numRows - 1 }), { maxLength: numRows }),
          features: fc.subarray(
            binsPerFeature.map((_, f) => f),
            { minLength: 1 },
          ),
        }),
      );
    fc.assert(
      fc.property(problem, ({ numRows, binsPerFeature, seed, leaf, features }) => {
        const d = binsPerFeature.length;
        const binOffsets = new Int32Array(d + 1);
        binsPerFeature.forEach((b, f) => {
          binOffsets[f + 1] = (binOffsets[f] as number) + b;
        });
        let x = seed >>> 0;
        const next = () => {
          x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
          return x / 2 ** 32;
        };
        const bins = new Uint8Array(numRows * d);
        for (let f = 0; f < d; f++) {
          for (let r = 0; r < numRows; r++)
            bins[f * numRows + r] = Math.floor(next() * (binsPerFeature[f] as number));
        }
        const grad = Float64Array.from({ length: numRows }, () => next() * 2 - 1);
        const hess = Float64Array.from({ length: numRows }, () => next() / 3);
        const kernel = HistogramKernel.create(bins, numRows, binOffsets[d] as number, 2);
        expect(kernel).toBeDefined();
        if (kernel === undefined) return;
        const input = { bins, numRows, binOffsets, grad, hess };
        const feats = Int32Array.from(features);
        const plainRows = Int32Array.from(leaf);
        kernel.indices.set(plainRows);
        const total = (binOffsets[d] as number) * 2;
        for (const listed of [false, true]) {
          const expected = new Float64Array(total);
          buildHistogram(
            input,
            feats,
            listed ? plainRows : null,
            0,
            listed ? leaf.length : numRows,
            createHistogramScratch(numRows),
            expected,
          );
          const got = kernel.hists[1] as Float64Array;
          got.fill(Number.NaN);
          const scratch = createHistogramScratch(numRows, kernel);
          buildHistogram(
            input,
            feats,
            listed ? kernel.indices : null,
            0,
            listed ? leaf.length : numRows,
            scratch,
            got,
          );
          const sameOnFeatures = (a: Float64Array, b: Float64Array) => {
            for (const f of features) {
              const from = (binOffsets[f] as number) * 2;
              const to = (binOffsets[f + 1] as number) * 2;
              expect(Array.from(a.subarray(from, to))).toEqual(Array.from(b.subarray(from, to)));
            }
          };
          sameOnFeatures(got, expected);
          // the most frequent bin's fix and the parent − child subtraction, kernel against JS
          const mostFreq = Int32Array.from(binsPerFeature, (b) => Math.floor(next() * b));
          const [sumGrad, sumHess] = [next() * 50 - 25, next() * 40];
          fixMostFreqBins(binOffsets, feats, mostFreq, expected, sumGrad, sumHess);
          fixMostFreqBins(binOffsets, feats, mostFreq, got, sumGrad, sumHess, kernel);
          sameOnFeatures(got, expected);
          const parent = kernel.hists[0] as Float64Array;
          for (let i = 0; i < total; i++) parent[i] = next() * 100 - 50;
          const parentCopy = Float64Array.from(parent);
          subtractHistogram(binOffsets, feats, parentCopy, expected, parentCopy);
          subtractHistogram(binOffsets, feats, parent, got, parent, kernel);
          sameOnFeatures(parent, parentCopy);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('splits a leaf of the partition as the JavaScript loop does (stable, missing bin by default direction)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 0, max: 256 }),
        fc.integer({ min: -1, max: 255 }),
        fc.boolean(),
        fc.nat(),
        (column, threshold, missingBin, defaultLeft, cut) => {
          const n = column.length;
          const bins = Uint8Array.from([...column, ...column]);
          const kernel = HistogramKernel.create(bins, n, 256, 3);
          expect(kernel).toBeDefined();
          if (kernel === undefined) return;
          const withKernel = new DataPartition(n, 3, kernel);
          const plain = new DataPartition(n, 3);
          // leaf 0 split once at a row cut so that leaf 1 starts mid-array, then leaf 1 on feature 1
          for (const part of [withKernel, plain]) {
            part.reset(null, n);
            const b = part === withKernel ? kernel.bins : bins.slice();
            part.split(
              0,
              1,
              Uint8Array.from({ length: n }, (_, r) => (r < cut % (n + 1) ? 0 : 1)),
              0,
              0,
              -1,
              false,
            );
            part.split(1, 2, b, n, threshold, missingBin, defaultLeft);
          }
          expect(Array.from(withKernel.indices)).toEqual(Array.from(plain.indices));
          expect(Array.from(withKernel.leafBegin)).toEqual(Array.from(plain.leafBegin));
          expect(Array.from(withKernel.leafCount)).toEqual(Array.from(plain.leafCount));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the same numerical split as the JavaScript scans, bit for bit', () => {
    // zeros (often the fullest bin), negatives and NaN, under both missing-value modes; a leaf of
    // some of the rows leaves bins empty (the kernel passes over those without a gain), and zero
    // gradients and hessians make sums that do not move
    const value = fc.oneof(fc.integer({ min: -3, max: 8 }), fc.constant(0), fc.constant(Number.NaN));
    const rowArb = fc.record({
      v: value,
      g: fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), fc.constant(0)),
      h: fc.oneof(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.constant(0)),
      inLeaf: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 2, maxLength: 60 }),
        splitParamsArb,
        fc.boolean(),
        fc.boolean(),
        (allRows, p, zeroAsMissing, wholeLeaf) => {
          // bins from every row, histograms from the leaf's rows only
          const rows = wholeLeaf ? allRows : allRows.map((r) => (r.inLeaf ? r : { ...r, g: 0, h: 0 }));
          const n = rows.length;
          const values = rows.map((r) => r.v);
          const mapper = buildBinMapper(values, { maxBin: 255, minDataInBin: 1, zeroAsMissing });
          const data = binWithMappers(
            { columns: [values], numRows: n, featureNames: ['x'], label: new Float64Array(n) },
            [mapper],
          );
          const input = {
            bins: data.bins,
            numRows: n,
            binOffsets: data.binOffsets,
            grad: Float64Array.from(rows, (r) => r.g),
            hess: Float64Array.from(rows, (r) => r.h),
          };
          const kernel = HistogramKernel.create(data.bins, n, data.binOffsets[1] as number, 1);
          if (kernel === undefined) throw new Error('no kernel');
          const G = input.grad.reduce((a, b) => a + b, 0);
          const H = input.hess.reduce((a, b) => a + b, 0);
          const mostFreq = Int32Array.of(mapper.mostFreqBin);
          const feats = Int32Array.of(0);
          const plainHist = new Float64Array((data.binOffsets[1] as number) * 2);
          const kernelHist = kernel.hists[0] as Float64Array;
          const results = [plainHist, kernelHist].map((hist) => {
            const scratch = createHistogramScratch(n, hist === kernelHist ? kernel : undefined);
            buildHistogram(input, feats, null, 0, n, scratch, hist);
            fixMostFreqBins(data.binOffsets, feats, mostFreq, hist, G, H, scratch.kernel);
            const out = emptySplit();
            const ok = findBestNumerical(hist, 0, mapper, 0, G, H, n, p, UNCONSTRAINED, out, scratch.kernel);
            return { ok, out };
          });
          expect(results[1]).toEqual(results[0]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves bins wider than a byte to the JavaScript loops', () => {
    expect(HistogramKernel.create(new Uint16Array(10), 10, 300, 2)).toBeUndefined();
  });
});
