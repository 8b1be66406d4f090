/**
 * Files our trainer writes load in LightGBM itself and predict the same there. LightGBM is not a
 * dependency: build its CLI from source outside the repository and set LIGHTGBM_BIN to run this;
 * without it the suite is skipped with a visible message.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { train } from '../../src/gbdt/boosting/gbdt.js';
import { Random } from '../../src/gbdt/boosting/random.js';
import { predictBatch, predictRawBatch } from '../../src/gbdt/predict/predict.js';
import { writeModelText } from '../../src/gbdt/text/index.js';

const bin = process.env.LIGHTGBM_BIN;
if (!bin)
  console.warn(
    '[lightgbm-interop] skipped: LIGHTGBM_BIN is not set (path of a LightGBM 4.x CLI built from source)',
  );

const D = 6;
function data(n: number, seed: number, objective: string) {
  const rng = new Random(seed);
  const x = new Float64Array(n * D);
  const y = new Float64Array(n);
  const group: number[] = [];
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let f = 0; f < D; f++) {
      const v = rng.next() < 0.08 ? Number.NaN : rng.next() * 4 - 2;
      x[i * D + f] = v;
      if (!Number.isNaN(v)) z += (f % 3 === 0 ? 1 : -0.7) * v + (f === 2 ? v * v * 0.5 : 0);
    }
    const noisy = z + (rng.next() - 0.5);
    y[i] =
      objective === 'binary'
        ? noisy > 0
          ? 1
          : 0
        : objective === 'lambdarank'
          ? Math.max(0, Math.min(3, Math.round(noisy + 1)))
          : noisy;
    if (objective === 'lambdarank' && i % 20 === 0) group.push(Math.min(20, n - i));
  }
  return { x, y, group: Int32Array.from(group) };
}

describe.skipIf(!bin)('LightGBM loads and predicts our model files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lgb-interop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const objective of ['binary', 'regression', 'lambdarank']) {
    it(`${objective}: LightGBM's raw and transformed predictions equal ours`, () => {
      const n = 800;
      const { x, y, group } = data(n, 11, objective);
      const { model } = train(
        {
          features: x,
          numRows: n,
          featureNames: Array.from({ length: D }, (_, f) => `f${f}`),
          label: y,
          ...(objective === 'lambdarank' ? { group } : {}),
        },
        {
          objective,
          num_iterations: 30,
          num_leaves: 15,
          learning_rate: 0.1,
          min_data_in_leaf: 10,
          seed: 3,
          verbosity: -1,
        },
      );
      const modelPath = join(dir, `${objective}.txt`);
      writeFileSync(modelPath, writeModelText(model));
      const test = data(300, 12, objective);
      // LightGBM's CLI wants a label column: a placeholder 0 leads every row, named in the header.
      const header = ['label', ...Array.from({ length: D }, (_, f) => `f${f}`)].join(',');
      const csv = Array.from({ length: 300 }, (_, r) =>
        [
          '0',
          ...Array.from({ length: D }, (_, f) =>
            Number.isNaN(test.x[r * D + f]) ? 'nan' : String(test.x[r * D + f]),
          ),
        ].join(','),
      ).join('\n');
      writeFileSync(join(dir, 'test.csv'), `${header}\n${csv}\n`);
      for (const raw of [true, false]) {
        const out = join(dir, `${objective}-${raw}.txt`);
        const r = spawnSync(
          bin!,
          [
            'task=predict',
            `data=${join(dir, 'test.csv')}`,
            `input_model=${modelPath}`,
            `output_result=${out}`,
            'header=true',
            'label_column=name:label',
            'precise_float_parser=true',
            `predict_raw_score=${raw}`,
            'verbosity=-1',
          ],
          { encoding: 'utf8' },
        );
        expect(r.status, r.stderr).toBe(0);
        const theirs = readFileSync(out, 'utf8').trim().split('\n').map(Number);
        const ours = raw ? predictRawBatch(model, test.x, 300) : predictBatch(model, test.x, 300);
        expect(theirs).toHaveLength(300);
        for (let i = 0; i < 300; i++)
          expect(Math.abs(theirs[i] - ours[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ours[i])));
      }
    });
  }
});
