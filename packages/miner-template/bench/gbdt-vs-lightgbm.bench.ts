/**
 * Our GBDT against LightGBM's own command-line program, same data, same parameters, same run:
 * training time (ratio) and held-out AUC, on (a) a 200k × 60 synthetic binary problem and (b) the
 * alert scorer's real task (features built from generated SOT batches). LightGBM is not a
 * dependency: build its CLI from source outside the repository and point LIGHTGBM_BIN at it;
 * without it this bench prints how and exits 0.
 *
 *   LIGHTGBM_BIN=/path/to/lightgbm node --import tsx bench/gbdt-vs-lightgbm.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train } from '../src/gbdt/boosting/gbdt.js';
import { Random } from '../src/gbdt/boosting/random.js';
import { auc } from '../src/gbdt/metric/auc.js';
import { predictBatch } from '../src/gbdt/predict/predict.js';
import { generateBatch } from '../src/synthetic/generate.js';
import { stratifiedSplit } from '../src/training/split.js';
import { buildTrainingSet, subsetRows, type TrainingSet } from '../src/training/training-set.js';

const bin = process.env.LIGHTGBM_BIN;
if (!bin) {
  process.stdout.write(
    'LIGHTGBM_BIN is not set: build LightGBM 4.x (cmake) outside the repository and point LIGHTGBM_BIN at its `lightgbm` program.\n',
  );
  process.exit(0);
}

interface Table {
  names: string[];
  values: Float32Array | Float64Array;
  numRows: number;
  label: Float64Array;
}

function writeCsv(path: string, t: Table): void {
  const width = t.names.length;
  const lines: string[] = [];
  for (let r = 0; r < t.numRows; r++) {
    const cells = [String(t.label[r])];
    for (let c = 0; c < width; c++) {
      const v = t.values[r * width + c];
      cells.push(Number.isNaN(v) ? '' : String(v));
    }
    lines.push(cells.join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const PARAMS = {
  objective: 'binary',
  num_iterations: 100,
  num_leaves: 31,
  learning_rate: 0.1,
  min_data_in_leaf: 20,
  max_bin: 255,
  seed: 1,
};

function compare(name: string, trainSet: Table, testSet: Table, dir: string): string {
  const t0 = performance.now();
  const { model } = train(
    {
      features: trainSet.values,
      numRows: trainSet.numRows,
      featureNames: trainSet.names,
      label: trainSet.label,
    },
    { ...PARAMS, verbosity: -1 },
  );
  const oursMs = performance.now() - t0;
  const oursAuc = auc(predictBatch(model, testSet.values, testSet.numRows), testSet.label);

  writeCsv(join(dir, 'train.csv'), trainSet);
  writeCsv(join(dir, 'test.csv'), testSet);
  const common = ['header=false', 'label_column=0', 'verbosity=-1'];
  const runs: Record<string, { ms: number; auc: number }> = {};
  for (const threads of [1, 2]) {
    const model = join(dir, `lgb-${threads}.txt`);
    const args = [
      'task=train',
      `data=${join(dir, 'train.csv')}`,
      `output_model=${model}`,
      `num_threads=${threads}`,
      ...Object.entries(PARAMS).map(([k, v]) => `${k}=${v}`),
      ...common,
    ];
    const s = performance.now();
    const r = spawnSync(bin!, args, { encoding: 'utf8' });
    const ms = performance.now() - s;
    if (r.status !== 0) throw new Error(`lightgbm failed: ${r.stderr}`);
    const out = join(dir, `pred-${threads}.txt`);
    spawnSync(bin!, [
      'task=predict',
      `data=${join(dir, 'test.csv')}`,
      `input_model=${model}`,
      `output_result=${out}`,
      ...common,
    ]);
    const preds = readFileSync(out, 'utf8').trim().split('\n').map(Number);
    runs[threads] = { ms, auc: auc(preds, testSet.label) };
  }
  return `| ${name} | ${trainSet.numRows} × ${trainSet.names.length} | ${(oursMs / 1000).toFixed(2)} | ${(runs[1].ms / 1000).toFixed(2)} | ${(runs[2].ms / 1000).toFixed(2)} | ${(oursMs / runs[1].ms).toFixed(1)}× | ${oursAuc.toFixed(4)} | ${runs[1].auc.toFixed(4)} |`;
}

function synthetic(numRows: number, seed: number): Table {
  const d = 60;
  const rng = new Random(seed);
  const values = new Float64Array(numRows * d);
  const label = new Float64Array(numRows);
  for (let i = 0; i < numRows; i++) {
    let z = 0;
    for (let f = 0; f < d; f++) {
      const v = rng.next() * 2 - 1;
      values[i * d + f] = f < 2 && rng.next() < 0.05 ? Number.NaN : v;
      if (f < 8) z += (f % 2 === 0 ? 1 : -0.5) * v;
    }
    z += values[i * d + 8] * values[i * d + 9] * 2;
    label[i] = rng.next() < 1 / (1 + Math.exp(-2 * z)) ? 1 : 0;
  }
  return { names: Array.from({ length: d }, (_, f) => `f${f}`), values, numRows, label };
}

function part(set: TrainingSet, idx: Int32Array): Table {
  const s = subsetRows(set, idx);
  return { names: s.names, values: s.values, numRows: s.numRows, label: s.label };
}

const dir = mkdtempSync(join(tmpdir(), 'gbdt-vs-lgb-'));
const rows: string[] = [];
try {
  rows.push(compare('synthetic', synthetic(200_000, 1), synthetic(50_000, 2), dir));
  const batches = [0, 1, 2, 3].map((d) => {
    const g = generateBatch({ date: `2026-01-0${d + 1}`, alerts: 5000, seed: 100 + d, difficulty: 0.5 });
    return { batch: g.batch, labels: g.labels };
  });
  const set = buildTrainingSet('alert_scorer', batches);
  const split = stratifiedSplit(set.label, set.batchIndex, 0.25, 7);
  rows.push(compare('alert scorer (generated SOT)', part(set, split.train), part(set, split.test), dir));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  [
    '100 trees, 31 leaves, learning rate 0.1, max_bin 255; LightGBM timed as a whole process (CSV load included).',
    '',
    '| data | train rows × features | ours s | LightGBM 1 thread s | LightGBM 2 threads s | ours / LightGBM (1 thread) | ours held-out AUC | LightGBM held-out AUC |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n'),
);
