/**
 * TreeSHAP speed on models trained on synthetic alerts (binary, 15 leaves, depth ≤ 6, 100 and 200
 * trees): the reference explainBatch (tree-shap.ts) against the per-leaf-table path in-process and
 * through the worker pool, on the same rows in the same run; also TreeModel.explain end to end.
 * Prints a markdown table of rows/s and the ratio to the reference.
 * Run: node --import tsx bench/shap.bench.ts [rows] [threads]
 */
import { availableParallelism } from 'node:os';
import { buildAlertFeatures } from '../src/features/index.js';
import type { GbdtModel } from '../src/gbdt/model.js';
import { explainBatchFast } from '../src/gbdt/shap/fast-tree-shap.js';
import { ShapPool } from '../src/gbdt/shap/pool.js';
import { buildShapPlan } from '../src/gbdt/shap/shap-plan.js';
import { explainBatch } from '../src/gbdt/shap/tree-shap.js';
import { train } from '../src/gbdt/train.js';
import { TreeModel } from '../src/models/tree-model.js';
import { generateBatch } from '../src/synthetic/index.js';

const numRows = Number(process.argv[2] ?? 10_000);
const threads = Number(process.argv[3] ?? availableParallelism());

function best(fn: () => void, repeat = 3): number {
  fn(); // warm-up
  let b = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    b = Math.min(b, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return b;
}

async function bestAsync(fn: () => Promise<void>, repeat = 3): Promise<number> {
  await fn();
  let b = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    b = Math.min(b, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return b;
}

const t0 = Date.now();
const { batch, truth } = generateBatch({ date: '2026-01-15', alerts: numRows, seed: 11 });
const matrix = buildAlertFeatures(batch);
const positive = new Map(truth.alerts.map((a) => [a.alert_id, a.positive]));
const label = Float64Array.from(matrix.rowIds, (id) => (positive.get(id) ? 1 : 0));
console.error(`data: ${matrix.numRows} rows × ${matrix.names.length} features in ${Date.now() - t0} ms`);

const rows: string[] = [
  '| model | path | rows | best ms | rows/s | × reference |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
];
for (const trees of [100, 200]) {
  const t1 = Date.now();
  const { model } = train(
    { features: matrix.values, numRows: matrix.numRows, featureNames: matrix.names, label },
    {
      objective: 'binary',
      num_iterations: trees,
      num_leaves: 15,
      max_depth: 6,
      learning_rate: 0.1,
      verbosity: -1,
    },
  );
  const gbdt: GbdtModel = model;
  const tPlan = Date.now();
  const plan = buildShapPlan(gbdt);
  console.error(
    `${trees} trees: trained in ${tPlan - t1} ms; plan ${Date.now() - tPlan} ms, ${plan.tables.length} table doubles`,
  );
  const n = matrix.numRows;
  const label2 = `${gbdt.trees.length} trees`;
  const ref = best(() => explainBatch(gbdt, matrix.values, n), 2);
  const line = (path: string, s: number) =>
    `| ${label2} | ${path} | ${n} | ${(s * 1000).toFixed(1)} | ${Math.round(n / s)} | ${(ref / s).toFixed(1)} |`;
  rows.push(line('reference explainBatch', ref));
  rows.push(line('table, single thread', best(() => explainBatchFast(gbdt, matrix.values, n))));
  const pool = await ShapPool.create(gbdt, { threads });
  rows.push(line(`table, pool ${pool.threads} threads`, best(() => pool.explainBatch(matrix.values, n))));
  await pool.close();
  const tm = await TreeModel.fromGbdt('alert_scorer', 'bench', gbdt, { shapThreads: threads });
  rows.push(line(`TreeModel.explain (top 5, ${threads} threads)`, best(() => tm.explain(matrix))));
  rows.push(
    line(
      'TreeModel predict + explain (end to end)',
      await bestAsync(async () => {
        await tm.predict(matrix);
        tm.explain(matrix);
      }),
    ),
  );
  await tm.close();
}
console.log(rows.join('\n'));
