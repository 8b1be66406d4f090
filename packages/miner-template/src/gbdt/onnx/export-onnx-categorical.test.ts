/**
 * ONNX export of LightGBM categorical splits (issue 15): LightGBM 4.6's own categorical models,
 * exported and run by onnxruntime-node, score like our predictor (itself checked against
 * LightGBM's predictions in predict/categorical.test.ts) on the fixture rows (unseen, NaN,
 * negative and fractional categories) and on random rows around every category boundary.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { isAmlError } from '../../errors.js';
import { parseCsvTable, toFeatureMatrix } from '../io/table-reader.js';
import type { GbdtModel } from '../model.js';
import { predictBatch, predictRawBatch } from '../predict/index.js';
import { modelOf, rng, stump } from '../predict/test-models.test-support.js';
import { readModelText } from '../text/index.js';
import { categoryRuns, exportOnnx } from './export-onnx.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/parity/${name}`, import.meta.url)), 'utf8');

/** The fixture's test rows, then random rows: categories -2..40 as integers, ±0.3 off them, and NaN. */
function rows(model: GbdtModel, name: string, extra: number): { x: Float32Array; numRows: number } {
  const table = parseCsvTable(fixture(`${name}_test.csv`));
  const given = toFeatureMatrix(table, model.featureNames, { skipColumns: ['label'] });
  const width = model.maxFeatureIdx + 1;
  const random = rng(5);
  const x = new Float32Array(given.length + extra * width);
  x.set(given);
  for (let i = given.length; i < x.length; i++) {
    const u = random();
    const c = Math.floor(random() * 43) - 2;
    x[i] = u < 0.05 ? Number.NaN : u < 0.6 ? c : c + (random() - 0.5) * 0.6;
  }
  return { x, numRows: table.numRows + extra };
}

async function onnxScores(model: GbdtModel, x: Float32Array, numRows: number, precision: 'float' | 'double') {
  const session = await ort.InferenceSession.create(exportOnnx(model, { precision }));
  const dims = [numRows, model.maxFeatureIdx + 1];
  const input =
    precision === 'double'
      ? new ort.Tensor('float64', Float64Array.from(x), dims)
      : new ort.Tensor('float32', x, dims);
  const out = await session.run({ input });
  if (model.objective === 'binary') {
    const p = out.probabilities?.data as Float32Array;
    return Float64Array.from({ length: numRows }, (_, r) => p[2 * r + 1] as number);
  }
  return Float64Array.from(out.variable?.data as Float32Array);
}

describe('exportOnnx: categorical splits', () => {
  for (const name of ['cat_binary', 'cat_regression'] as const) {
    for (const precision of ['float', 'double'] as const) {
      it(`${name} (${precision}): onnxruntime scores equal the predictor's`, async () => {
        const model = readModelText(fixture(`${name}_model.txt`));
        expect(model.trees.some((t) => (t.catBoundaries?.length ?? 0) > 1)).toBe(true);
        const { x, numRows } = rows(model, name, 5000);
        const got = await onnxScores(model, x, numRows, precision);
        const want = predictBatch(model, x, numRows);
        // float32 outputs (and float32 leaf sums with 'float'); a wrong branch moves a score by a leaf value
        for (let r = 0; r < numRows; r++)
          expect(Math.abs((got[r] as number) - (want[r] as number)), `row ${r}`).toBeLessThan(
            1e-5 * Math.max(1, Math.abs(want[r] as number)),
          );
      });
    }
  }

  it('sends every value to the side LightGBM does, exactly (one stump per category set, leaves 2^t)', async () => {
    // categorical stumps over sets with runs, gaps, 0 and a high category; the float32 sum of the
    // right leaves 2^t encodes every decision, so any wrong branch changes the score
    const sets = [[0], [1], [0, 1, 2], [3, 5, 6, 7, 31, 32, 33], [0, 40], [2, 4, 6, 8], [63]];
    const trees = sets.map((set, t) => {
      const tree = stump(t, 0, 1);
      const words = new Uint32Array(Math.floor(Math.max(...set) / 32) + 1);
      for (const c of set) words[c >> 5] = ((words[c >> 5] as number) | (1 << (c & 31))) >>> 0;
      tree.catBoundaries = Int32Array.of(0, words.length);
      tree.catThreshold = words;
      tree.leafValue = Float64Array.of(0, 2 ** t);
      return tree;
    });
    const model = modelOf(trees, sets.length);
    expect(categoryRuns(trees[3] as (typeof trees)[number], 0)).toEqual([
      [3, 3],
      [5, 7],
      [31, 33],
    ]);
    const values = [
      Number.NaN,
      -2,
      -1,
      -0.5,
      -0,
      0,
      0.5,
      0.99,
      1,
      1.5,
      2,
      2.99,
      3,
      4,
      7.5,
      8,
      31,
      33.9,
      34,
      40,
      63,
      64,
      1e9,
    ];
    const n = 600;
    const random = rng(9);
    const x = new Float32Array(n * sets.length);
    for (let i = 0; i < x.length; i++) x[i] = values[Math.floor(random() * values.length)] as number;
    const want = predictRawBatch(model, x, n);
    for (const precision of ['float', 'double'] as const) {
      const got = await onnxScores(model, x, n, precision);
      for (let r = 0; r < n; r++) expect(got[r], `${precision} row ${r}`).toBe(want[r]);
    }
  });

  it('refuses a category a float32 threshold cannot hold, and exports it with double precision', () => {
    const tree = stump(0, 0, 1);
    const high = 2 ** 24;
    const words = new Uint32Array(high / 32 + 1);
    words[high >> 5] = 1;
    tree.catBoundaries = Int32Array.of(0, words.length);
    tree.catThreshold = words;
    const model = modelOf([tree], 1);
    try {
      exportOnnx(model);
      expect.unreachable();
    } catch (err) {
      expect(isAmlError(err) && err.code).toBe('AML_ERR_GBDT_UNSUPPORTED');
      expect((err as Error).message).toContain('Tree=0: a category above 16777215');
    }
    expect(exportOnnx(model, { precision: 'double' }).byteLength).toBeGreaterThan(0);
  });
});
