/**
 * Training speed of the GBDT engine: synthetic binary problems of 50k, 100k and 200k rows × 60
 * features (100 trees, 31 leaves, learning rate 0.1), timing train() and scoring held-out AUC.
 * Prints a markdown table; CPU time per row should stay flat if training scales linearly.
 * Run: node --import tsx bench/gbdt-train.bench.ts [rows,rows,...]
 */

import { train } from '../src/gbdt/boosting/gbdt.js';
import { Random } from '../src/gbdt/boosting/random.js';
import type { TrainData } from '../src/gbdt/dataset/train-data.js';
import { auc } from '../src/gbdt/metric/index.js';

const FEATURES = 60;

/** Logistic labels from a few linear, threshold and interaction terms; 5% NaN in two columns. */
function synthetic(numRows: number, seed: number): TrainData {
  const rng = new Random(seed);
  const x = new Float64Array(numRows * FEATURES);
  const label = new Float64Array(numRows);
  for (let i = 0; i < numRows; i++) {
    const row = i * FEATURES;
    for (let f = 0; f < FEATURES; f++) x[row + f] = rng.next() * 2 - 1;
    const z =
      1.2 * x[row] -
      0.8 * x[row + 1] +
      (x[row + 2] > 0.2 ? 0.9 : -0.3) +
      1.5 * x[row + 3] * x[row + 4] +
      0.5 * Math.sin(4 * x[row + 5]);
    label[i] = rng.next() < 1 / (1 + Math.exp(-2 * z)) ? 1 : 0;
    if (rng.next() < 0.05) x[row + 1] = Number.NaN;
    if (rng.next() < 0.05) x[row + 7] = Number.NaN;
  }
  const featureNames = Array.from({ length: FEATURES }, (_, f) => `f${f}`);
  return { features: x, numRows, featureNames, label };
}

/** Raw scores by walking the trained trees in value space (NaN follows the default direction). */
function predict(model: ReturnType<typeof train>['model'], data: TrainData): Float64Array {
  const x = data.features as Float64Array;
  const out = new Float64Array(data.numRows);
  for (let r = 0; r < data.numRows; r++) {
    let s = 0;
    for (const t of model.trees) {
      let node = t.numLeaves > 1 ? 0 : -1;
      while (node >= 0) {
        const v = x[r * FEATURES + t.splitFeature[node]];
        const left = Number.isNaN(v) ? (t.decisionType[node] & 2) !== 0 : v <= t.threshold[node];
        node = left ? t.leftChild[node] : t.rightChild[node];
      }
      s += t.leafValue[~node];
    }
    out[r] = s;
  }
  return out;
}

const sizes = (process.argv[2] ?? '50000,100000,200000').split(',').map(Number);
const test = synthetic(50_000, 999);
const lines = [
  '| rows | features | trees | wall time (s) | CPU time (s) | CPU µs per row | held-out AUC |',
  '|---:|---:|---:|---:|---:|---:|---:|',
];
for (const n of sizes) {
  const data = synthetic(n, n);
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const { model } = train(data, {
    objective: 'binary',
    num_iterations: 100,
    num_leaves: 31,
    learning_rate: 0.1,
    seed: 1,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  // CPU time is what to compare on a shared machine: wall time also counts waiting for a core.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const score = auc(predict(model, test), test.label);
  lines.push(
    `| ${n} | ${FEATURES} | ${model.trees.length} | ${seconds.toFixed(2)} | ${cpuSeconds.toFixed(2)} | ${((cpuSeconds * 1e6) / n).toFixed(1)} | ${score.toFixed(4)} |`,
  );
  process.stderr.write(`${lines[lines.length - 1]}\n`);
}
process.stdout.write(`${lines.join('\n')}\n`);
