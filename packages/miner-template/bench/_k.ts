import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { buildAlertFeatures } from '../src/features/index.js';
import { explainBatchFast } from '../src/gbdt/shap/fast-tree-shap.js';
import { explainBatch } from '../src/gbdt/shap/tree-shap.js';
import { readModelText, writeModelText } from '../src/gbdt/text/index.js';
import { train } from '../src/gbdt/train.js';
import { generateBatch } from '../src/synthetic/index.js';
const n = 10000;
let values: Float32Array;
if (!existsSync('/tmp/shapk/x.bin')) {
  const { batch, truth } = generateBatch({ date: '2026-01-15', alerts: n, seed: 11 });
  const matrix = buildAlertFeatures(batch);
  const positive = new Map(truth.alerts.map((a) => [a.alert_id, a.positive]));
  const label = Float64Array.from(matrix.rowIds, (id) => (positive.get(id) ? 1 : 0));
  for (const trees of [100, 200]) {
    const { model } = train({ features: matrix.values, numRows: matrix.numRows, featureNames: matrix.names, label },
      { objective: 'binary', num_iterations: trees, num_leaves: 15, max_depth: 6, learning_rate: 0.1, verbosity: -1 });
    writeFileSync(`/tmp/shapk/m${trees}.txt`, writeModelText(model));
  }
  writeFileSync('/tmp/shapk/x.bin', matrix.values);
}
values = new Float32Array(readFileSync('/tmp/shapk/x.bin').buffer.slice(0));
const which = process.argv[2] ?? 'fast';
for (const trees of [100, 200]) {
  const model = readModelText(readFileSync(`/tmp/shapk/m${trees}.txt`, 'utf8'));
  const fn = which === 'ref' ? () => explainBatch(model, values, n) : () => explainBatchFast(model, values, n);
  fn();
  let best = 1e9;
  for (let i = 0; i < 5; i++) { const t = performance.now(); fn(); best = Math.min(best, performance.now() - t); }
  console.log(trees, which, best.toFixed(0), 'ms', Math.round(n / best * 1000), 'rows/s');
}
