import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { GbdtModel } from '../model.js';
import { predictBatch, predictRawBatch } from '../predict/index.js';
import { modelOf, randomModel, rng, stump } from '../predict/test-models.test-support.js';
import { readModelText } from '../text/index.js';
import { exportOnnx, floatAtMost } from './index.js';
import { decodeModel } from './onnx-proto.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');
const TINY = Math.fround(1e-35);

/** Rows of float32 values with ~5% NaN, some exact zeros, mixed scales. */
function randomRows(seed: number, numRows: number, width: number): Float32Array {
  const random = rng(seed);
  const x = new Float32Array(numRows * width);
  for (let i = 0; i < x.length; i++) {
    const u = random();
    x[i] = u < 0.05 ? Number.NaN : u < 0.08 ? 0 : (random() * 4 - 2) * (random() < 0.5 ? 1 : 1e5);
  }
  return x;
}

async function runOnnx(
  model: GbdtModel,
  rows: Float32Array,
  numRows: number,
  precision: 'float' | 'double' = 'float',
) {
  const session = await ort.InferenceSession.create(exportOnnx(model, { precision }));
  const width = model.maxFeatureIdx + 1;
  const input =
    precision === 'double'
      ? new ort.Tensor('float64', Float64Array.from(rows), [numRows, width])
      : new ort.Tensor('float32', rows, [numRows, width]);
  return session.run({ input });
}

describe('exportOnnx with onnxruntime-node', () => {
  // float32 attributes: leaf weights and ORT's running sum are float32, so raw scores agree to
  // ~1e-7 relative per tree; double attributes agree up to the final float32 output rounding.
  const cases = [
    { precision: 'double', tolerance: (v: number) => 1e-6 + 0 * v },
    { precision: 'float', tolerance: (v: number) => 1e-6 * Math.max(1, Math.abs(v)) },
  ] as const;
  for (const objective of ['binary', 'regression', 'lambdarank', 'rf_binary']) {
    for (const { precision, tolerance } of cases) {
      it(`${objective} (LightGBM fixture, ${precision}): matches the predictor on 10,000 float32 rows with 5% NaN`, async () => {
        const model = readModelText(fixture(`${objective}_model.txt`));
        const n = 10_000;
        const rows = randomRows(7, n, model.maxFeatureIdx + 1);
        const out = await runOnnx(model, rows, n, precision);
        if (model.objective === 'binary') {
          const p = predictBatch(model, rows, n);
          const probs = out.probabilities?.data as Float32Array;
          const labels = out.label?.data as BigInt64Array;
          for (let i = 0; i < n; i++) {
            expect(Math.abs((probs[2 * i + 1] as number) - (p[i] as number))).toBeLessThan(1e-6);
            expect(Math.abs((probs[2 * i] as number) - (1 - (p[i] as number)))).toBeLessThan(1e-6);
            if (Math.abs((p[i] as number) - 0.5) > 1e-6)
              expect(labels[i]).toBe((p[i] as number) > 0.5 ? 1n : 0n);
          }
        } else {
          const raw = predictBatch(model, rows, n);
          const v = out.variable?.data as Float32Array;
          for (let i = 0; i < n; i++) {
            expect(Math.abs((v[i] as number) - (raw[i] as number))).toBeLessThan(tolerance(raw[i] as number));
          }
        }
      });
    }
  }

  it('a random 100-tree 31-leaf ensemble agrees to float32 accumulation precision', async () => {
    const model = randomModel(11, 100, 31, 8, 'regression');
    const n = 10_000;
    const rows = randomRows(3, n, 8);
    const v = (await runOnnx(model, rows, n)).variable?.data as Float32Array;
    const raw = predictRawBatch(model, rows, n);
    // leaf values and ORT's running sum are float32: ~1e-7 relative per tree
    for (let i = 0; i < n; i++)
      expect(Math.abs((v[i] as number) - (raw[i] as number))).toBeLessThan(
        1e-6 * (1 + Math.abs(raw[i] as number)) * 10,
      );
  });

  it('every split takes the same branch as LightGBM for float32 inputs (thresholds rounded down, NaN and ±1e-35)', async () => {
    // 24 stumps, one per feature, right leaf 2^t: the float32 sum encodes every decision exactly
    const random = rng(42);
    const specials = [0, TINY, -TINY, 2 * TINY, -2 * TINY, 1e-36, -1e-36, 0.1, -0.1, 1 / 3, -2.5, 1e30];
    for (let round = 0; round < 6; round++) {
      const trees = Array.from({ length: 24 }, (_, t) => {
        const pick = random();
        const base = specials[Math.floor(random() * specials.length)] as number;
        // doubles just around float32 values and around LightGBM's zero band
        const thr =
          pick < 0.5
            ? base + (random() - 0.5) * 1e-37
            : pick < 0.8
              ? base * (1 + (random() - 0.5) * 1e-7)
              : base;
        const missing = Math.floor(random() * 3);
        const tree = stump(t, thr, (missing << 2) | (random() < 0.5 ? 2 : 0));
        tree.leafValue = Float64Array.of(0, 2 ** t);
        return tree;
      });
      const model = modelOf(trees, 24);
      const n = 400;
      const rows = new Float32Array(n * 24);
      for (let r = 0; r < n; r++) {
        for (let t = 0; t < 24; t++) {
          const thr = trees[t]?.threshold[0] as number;
          const down = floatAtMost(thr);
          const choices = [
            Number.NaN,
            0,
            -0,
            TINY,
            -TINY,
            1e-36,
            -1e-36,
            down,
            Math.fround(thr),
            thr,
            -thr,
            random() - 0.5,
          ];
          rows[r * 24 + t] = choices[Math.floor(random() * choices.length)] as number;
        }
      }
      const raw = predictRawBatch(model, rows, n);
      for (const precision of ['float', 'double'] as const) {
        const v = (await runOnnx(model, rows, n, precision)).variable?.data as Float32Array;
        for (let r = 0; r < n; r++) expect(v[r], `${precision} round ${round} row ${r}`).toBe(raw[r]);
      }
    }
  });

  it('floatAtMost is the largest float32 not above x', () => {
    for (const x of [0.1, -0.1, 1 / 3, 1e-40, -1e-40, 3.4e38 * 1.0000001, 2 ** 24 + 1, -1e-35]) {
      const f = floatAtMost(x);
      expect(Math.fround(f)).toBe(f);
      expect(f).toBeLessThanOrEqual(x);
      const next = new Float32Array([f]);
      const bits = new Uint32Array(next.buffer);
      bits[0] = f >= 0 ? (bits[0] as number) + 1 : (bits[0] as number) - 1;
      if (f !== 0 || Object.is(f, 0)) expect(next[0] as number).toBeGreaterThan(x);
    }
  });

  it('records metadata and opsets', () => {
    const model = readModelText(fixture('binary_model.txt'));
    const decoded = decodeModel(exportOnnx(model, { modelVersion: '1.2.3', producer: 'test' })) as {
      producerName: string;
      modelVersion: number;
      metadataProps: { key: string; value: string }[];
      opsetImport: { domain?: string; version: number }[];
    };
    expect(decoded.producerName).toBe('test');
    expect(decoded.modelVersion).toBe(1_002_003);
    const meta = Object.fromEntries(decoded.metadataProps.map((e) => [e.key, e.value]));
    expect(JSON.parse(meta.feature_names as string)).toEqual(model.featureNames);
    expect(meta.model_version).toBe('1.2.3');
    expect(meta.objective).toBe('binary sigmoid:1');
    expect(decoded.opsetImport).toContainEqual({ domain: 'ai.onnx.ml', version: 3 });
  });
});
