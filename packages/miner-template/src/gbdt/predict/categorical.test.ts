/**
 * Serving LightGBM models with categorical splits: the predictor, both TreeSHAP implementations
 * and the text round trip against LightGBM 4.6.0's own output on rows with unseen, NaN,
 * negative and fractional categories (fixtures/parity/README.md).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsvTable, toFeatureMatrix } from '../io/table-reader.js';
import { categoryGoesLeft } from '../model.js';
import { explainBatchFast } from '../shap/fast-tree-shap.js';
import { explainBatch } from '../shap/tree-shap.js';
import { readModelText, writeModelText } from '../text/index.js';
import { predictRawBatch } from './index.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/parity/${name}`, import.meta.url)), 'utf8');

function load(name: 'cat_binary' | 'cat_regression') {
  const text = fixture(`${name}_model.txt`);
  const model = readModelText(text);
  const table = parseCsvTable(fixture(`${name}_test.csv`));
  const matrix = toFeatureMatrix(table, model.featureNames, { skipColumns: ['label'] });
  return { text, model, matrix, numRows: table.numRows };
}

const lines = (name: string) => fixture(name).trim().split('\n');

describe('categorical splits (LightGBM 4.6 models)', () => {
  for (const name of ['cat_binary', 'cat_regression'] as const) {
    it(`${name}: raw scores equal LightGBM's predict_raw_score`, () => {
      const { model, matrix, numRows } = load(name);
      expect(model.trees.some((t) => (t.catBoundaries?.length ?? 0) > 1)).toBe(true);
      const want = lines(`${name}_pred_raw.txt`).map(Number);
      expect(want).toHaveLength(numRows);
      const raw = predictRawBatch(model, matrix, numRows);
      for (let r = 0; r < numRows; r++) {
        expect(Math.abs((raw[r] as number) - (want[r] as number)), `row ${r}`).toBeLessThanOrEqual(1e-12);
      }
    });

    it(`${name}: both TreeSHAP paths equal LightGBM's predict_contrib within 1e-12`, () => {
      const { model, matrix, numRows } = load(name);
      const want = lines(`${name}_pred_contrib.txt`).map((l) => l.split('\t').map(Number));
      const width = model.maxFeatureIdx + 1;
      for (const { contributions, expectedValue } of [
        explainBatchFast(model, matrix, numRows),
        explainBatch(model, matrix, numRows),
      ]) {
        for (let r = 0; r < numRows; r++) {
          const row = want[r] as number[];
          expect(Math.abs(expectedValue - (row[width] as number))).toBeLessThan(1e-12);
          for (let j = 0; j < width; j++) {
            const got = contributions[r * width + j] as number;
            expect(Math.abs(got - (row[j] as number)), `row ${r} feature ${j}`).toBeLessThan(1e-12);
          }
        }
      }
    });

    it(`${name}: readModelText → writeModelText reproduces the file byte for byte`, () => {
      const { text, model } = load(name);
      expect(writeModelText(model)).toBe(text);
    });
  }

  it('follows CategoricalDecision: truncation to int, NaN / negative / out-of-bitset go right', () => {
    // categories 1 and 33 go left: two words, bits 1 of each
    const tree = { catBoundaries: Int32Array.from([0, 2]), catThreshold: Uint32Array.from([2, 2]) };
    const left = (x: number) => categoryGoesLeft(tree, 0, x);
    expect([1, 1.9, 33, 33.5].map(left)).toEqual([true, true, true, true]);
    expect([0, 2, 32, 34, 65, 1e12, -1, -0.5, Number.NaN].map(left)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
