/**
 * TreeSHAP speed on 10,000 synthetic alerts: models trained here (binary, 15 leaves, depth ≤ 6,
 * 100 and 200 trees) and, when present, the shipped /work/main/trained_models alert_scorer. For
 * each: the reference explainBatch (tree-shap.ts), the per-leaf-table path single-threaded, the
 * same through ShapPool, TreeModel.explain, and TreeModel predict + explain end to end, all on the
 * same rows in the same run. Wall time is best of N; single-thread rows are also given per CPU
 * second, which is steadier on a shared machine. Prints a markdown table.
 * Run: node --import tsx bench/shap.bench.ts [rows] [threads]
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { buildAlertFeatures } from '../src/features/index.js';
import type { FeatureMatrix } from '../src/features/types.js';
import { train } from '../src/gbdt/boosting/gbdt.js';
import type { GbdtModel } from '../src/gbdt/model.js';
import { explainBatchFast } from '../src/gbdt/shap/fast-tree-shap.js';
import { ShapPool } from '../src/gbdt/shap/pool.js';
import { buildShapPlan } from '../src/gbdt/shap/shap-plan.js';
import { explainBatch } from '../src/gbdt/shap/tree-shap.js';
import { readModelText } from '../src/gbdt/text/index.js';
import { TreeModel } from '../src/models/tree-model.js';
import { generateBatch } from '../src/synthetic/index.js';

const numRows = Number(process.argv[2] ?? 10_000);
const threads = Number(process.argv[3] ?? availableParallelism());
const SHIPPED = new URL('../../../trained_models/', import.meta.url);

interface Timing {
  wall: number;
  cpu: number;
}

async function measure(fn: () => unknown, repeat = 3): Promise<Timing> {
  await fn(); // warm-up
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await fn();
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { wall, cpu };
}

const rows: string[] = [
  '| model | path | best wall ms | rows/s (wall) | × ref (wall) | rows per CPU-s | × ref (CPU) |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
];

async function benchModel(label: string, gbdt: GbdtModel, matrix: FeatureMatrix): Promise<void> {
  const n = matrix.numRows;
  const plan = buildShapPlan(gbdt);
  console.error(`${label}: ${gbdt.trees.length} trees, ${plan.tables.length} table doubles`);
  const ref = await measure(() => explainBatch(gbdt, matrix.values, n), 2);
  const line = (path: string, t: Timing, cpuToo: boolean) =>
    `| ${label} | ${path} | ${(t.wall * 1000).toFixed(0)} | ${Math.round(n / t.wall)} | ${(ref.wall / t.wall).toFixed(1)} | ${
      cpuToo ? Math.round(n / t.cpu) : '–'
    } | ${cpuToo ? (ref.cpu / t.cpu).toFixed(1) : '–'} |`;
  rows.push(line('reference explainBatch', ref, true));
  rows.push(
    line('tables, single thread', await measure(() => explainBatchFast(gbdt, matrix.values, n)), true),
  );
  const pool = await ShapPool.create(gbdt, { threads });
  await pool.warmUp();
  rows.push(
    line(
      `tables, ShapPool ${pool.threads} threads`,
      await measure(() => pool.explainBatch(matrix.values, n)),
      false,
    ),
  );
  await pool.close();
  const tm = await TreeModel.fromGbdt('alert_scorer', 'bench', gbdt, { shapThreads: threads });
  rows.push(
    line(`TreeModel.explain top 5, ${threads} threads`, await measure(() => tm.explain(matrix)), false),
  );
  rows.push(
    line(
      'TreeModel predict + explain (end to end)',
      await measure(async () => {
        await tm.predict(matrix);
        tm.explain(matrix);
      }),
      false,
    ),
  );
  await tm.close();
}

const t0 = Date.now();
const { batch, truth } = generateBatch({ date: '2026-01-15', alerts: numRows, seed: 11 });
const matrix = buildAlertFeatures(batch);
const positive = new Map(truth.alerts.map((a) => [a.alert_id, a.positive]));
const label = Float64Array.from(matrix.rowIds, (id) => (positive.get(id) ? 1 : 0));
console.error(`data: ${matrix.numRows} rows × ${matrix.names.length} features in ${Date.now() - t0} ms`);

for (const trees of [100, 200]) {
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
  await benchModel(`trained ${trees} trees`, model, matrix);
}

if (existsSync(new URL('alert_scorer_v1.1.0.txt', SHIPPED))) {
  const gbdt = readModelText(readFileSync(new URL('alert_scorer_v1.1.0.txt', SHIPPED), 'utf8'));
  const meta = JSON.parse(readFileSync(new URL('model_metadata.json', SHIPPED), 'utf8'));
  const extra: string[] | undefined = meta.alert_scorer?.feature_options?.extra_feature_columns;
  const full = buildAlertFeatures(batch, extra ? { extraFeatureColumns: extra } : {});
  // the model keeps a selected subset of the builder's columns: pick them by name
  const source = gbdt.featureNames.map((name) => full.names.indexOf(name));
  if (source.every((c) => c >= 0)) {
    const width = source.length;
    const values = new Float32Array(full.numRows * width);
    for (let r = 0; r < full.numRows; r++) {
      for (let c = 0; c < width; c++)
        values[r * width + c] = full.values[r * full.names.length + (source[c] as number)] as number;
    }
    const selected = { names: [...gbdt.featureNames], values, numRows: full.numRows, rowIds: full.rowIds };
    await benchModel('shipped alert_scorer', gbdt, selected);
  } else {
    console.error('shipped alert_scorer: a model column is not produced by the builder; skipped');
  }
}
console.log(rows.join('\n'));
