/**
 * TreeModel and model files against the committed LightGBM fixtures (gbdt/fixtures, LightGBM
 * 4.6.0's own model, predictions and predict_contrib output): the served model must give
 * LightGBM's scores through onnxruntime and LightGBM's contributions through TreeSHAP.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS, hasErrorCode } from '../errors.js';
import type { FeatureMatrix } from '../features/types.js';
import { predictBatch } from '../gbdt/predict/index.js';
import { readModelText } from '../gbdt/text/index.js';
import { explanationJson } from './explanation.js';
import { findModelFiles } from './model-files.js';
import { TreeModel } from './tree-model.js';

const fixturePath = (name: string) => fileURLToPath(new URL(`../gbdt/fixtures/${name}`, import.meta.url));
const fixture = (name: string) => readFileSync(fixturePath(name), 'utf8');
const lines = (name: string) => fixture(name).trim().split('\n');

/** binary_test.csv as a feature matrix (label column dropped, `nan` as NaN). */
function testMatrix(): FeatureMatrix {
  const [header, ...rows] = lines('binary_test.csv');
  const names = header!.split(',').slice(1);
  const values = new Float32Array(rows.length * names.length);
  rows.forEach((row, r) => {
    row
      .split(',')
      .slice(1)
      .forEach((cell, c) => {
        values[r * names.length + c] = cell === 'nan' ? Number.NaN : Number(cell);
      });
  });
  return { names, values, numRows: rows.length, rowIds: rows.map((_, r) => `a${r}`) };
}

/**
 * The served matrix is float32, LightGBM reads doubles: a row whose rounding to float32 moves a
 * value across a split threshold (the fixture's 80 threshold rows, by design) scores otherwise.
 * The rows compared are those whose float32 values take every tree down LightGBM's own path: the
 * engine's prediction on the rounded row equals LightGBM's on the original.
 */
function stableRows(matrix: FeatureMatrix, expected: readonly number[]): number[] {
  const gbdt = readModelText(fixture('binary_model.txt'));
  const rounded = predictBatch(gbdt, Float64Array.from(matrix.values), matrix.numRows);
  return expected.flatMap((p, r) => (Math.abs(rounded[r]! - p) < 1e-12 ? [r] : []));
}

describe('TreeModel on the LightGBM binary fixture', () => {
  let model: TreeModel;
  const matrix = testMatrix();
  const expected = lines('binary_pred.txt').map(Number);
  const stable = stableRows(matrix, expected);
  beforeAll(async () => {
    model = await TreeModel.fromGbdt('alert_scorer', '1.0.0', readModelText(fixture('binary_model.txt')), {
      shapThreads: 1,
    });
  });
  afterAll(() => model.close());

  it("predicts LightGBM's probabilities (float32 inference: within 1e-6)", async () => {
    expect(stable.length).toBeGreaterThan(350); // of 380: all but rows rounded across a threshold
    expect(model.featureNames).toEqual(matrix.names);
    const scores = await model.predict(matrix);
    expect(scores.length).toBe(expected.length);
    for (const r of stable) expect(Math.abs(scores[r]! - expected[r]!)).toBeLessThan(1e-6);
  });

  it("explains with LightGBM's contributions: the largest by |value|, and its base value", () => {
    const contrib = lines('binary_pred_contrib.txt').map((l) => l.split('\t').map(Number));
    const explanations = model.explain(matrix, 3);
    for (const r of stable.filter((_, i) => i % 25 === 0)) {
      const row = contrib[r]!;
      const base = row[row.length - 1]!;
      expect(Math.abs(explanations[r]!.baseValue - base)).toBeLessThan(1e-12);
      const top = explanations[r]!.topFeatures;
      expect(top).toHaveLength(3);
      for (const f of top) {
        const c = matrix.names.indexOf(f.name);
        expect(Math.abs(f.contribution - row[c]!)).toBeLessThan(1e-9);
        const v = matrix.values[r * matrix.names.length + c]!;
        expect(f.value).toBe(Number.isNaN(v) ? null : v);
      }
      // no feature left out is larger than the smallest one kept
      const kept = new Set(top.map((f) => f.name));
      const smallest = Math.min(...top.map((f) => Math.abs(f.contribution)));
      matrix.names.forEach((name, c) => {
        if (!kept.has(name)) expect(Math.abs(row[c]!)).toBeLessThanOrEqual(smallest);
      });
    }
  });

  it('writes explain_json as the API documents it', () => {
    const [first] = model.explain(matrix, 2);
    const parsed = JSON.parse(explanationJson(first!)) as { top_features: unknown[]; base_value: number };
    expect(Object.keys(parsed)).toEqual(['top_features', 'base_value']);
    expect(parsed.top_features).toHaveLength(2);
    expect(Object.keys(parsed.top_features[0] as object)).toEqual(['name', 'value', 'contribution']);
  });

  it('refuses a matrix of the wrong width with AML_ERR_MODEL_FEATURE_MISMATCH', async () => {
    const narrow: FeatureMatrix = { names: ['a'], values: new Float32Array(1), numRows: 1, rowIds: ['x'] };
    await expect(model.predict(narrow)).rejects.toSatisfy((err) =>
      hasErrorCode(err, ERRORS.AML_ERR_MODEL_FEATURE_MISMATCH),
    );
    expect(() => model.explain(narrow)).toThrow(/expected 6 columns, got 1/);
  });
});

describe('findModelFiles and TreeModel.load', () => {
  it('take the highest version in the folder and load it with its text model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aml-models-'));
    for (const version of ['1.2.0', '1.10.0', '1.9.3'])
      copyFileSync(fixturePath('binary_model.txt'), join(dir, `alert_scorer_v${version}.txt`));
    writeFileSync(join(dir, 'alert_scorer_v2.0.0.onnx.bak'), 'not a model');
    const files = await findModelFiles(dir, 'alert_scorer');
    expect(files?.version).toBe('1.10.0');
    expect(files?.onnxPath).toBeUndefined();
    const model = await TreeModel.load(files!, { shapThreads: 1 });
    try {
      expect(model.version).toBe('1.10.0');
      expect(model.featureNames).toEqual(['amount_usd', 'degree', 'ratio', 'score', 'is_flag', 'noise']);
    } finally {
      await model.close();
    }
    expect(await findModelFiles(dir, 'alert_ranker')).toBeUndefined();
  });
});
