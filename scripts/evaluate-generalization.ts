/**
 * How well do the shipped models generalise? Scores trained_models/ on batches of our own
 * generator and of the foreign producer (src/foreign: a second, independent simulator that the
 * models never train on), per column set the foreign producer emits (core, core+some, all), and
 * prints AUC/AP of the alert and cluster scorers, the ranker's NDCG and AUC, and the baseline
 * every miner must beat: the upstream detector's own alert_confidence_score.
 *
 *   node --import tsx scripts/evaluate-generalization.ts [--models trained_models]
 *        [--seeds 3] [--alerts 1500] [--json out.json]
 *
 * Metrics are means over batches (one batch = one day, as the validator judges them).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateForeignBatch } from '../packages/miner-template/src/foreign/index.js';
import { readModelText } from '../packages/miner-template/src/gbdt/text/model-reader.js';
import { metadataFor, readModelMetadata } from '../packages/miner-template/src/models/model-metadata.js';
import { MODEL_NAMES } from '../packages/miner-template/src/schemas/api.js';
import { CORE_FEATURE_COLUMNS } from '../packages/miner-template/src/schemas/features.js';
import { generateBatch } from '../packages/miner-template/src/synthetic/generate.js';
import {
  confidenceBaseline,
  evaluateOnBatches,
  type ModelUnderTest,
  meanOverBatches,
} from '../packages/miner-template/src/training/generalization.js';
import type { LabelledBatch } from '../packages/miner-template/src/training/training-set.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'trained_models' },
    seeds: { type: 'string', default: '3' },
    alerts: { type: 'string', default: '1500' },
    json: { type: 'string' },
  },
});
const seeds = Number(values.seeds);
const alerts = Number(values.alerts);

async function loadShipped(dir: string): Promise<ModelUnderTest[]> {
  const metadata = await readModelMetadata(join(dir, 'model_metadata.json'));
  const out: ModelUnderTest[] = [];
  for (const task of MODEL_NAMES) {
    const meta = metadataFor(metadata, task);
    if (!meta?.files) throw new Error(`${dir}/model_metadata.json has no ${task} entry with files`);
    out.push({ task, meta, model: readModelText(await readFile(join(dir, meta.files.text), 'utf8')) });
  }
  return out;
}

const date = (d: number) => new Date(Date.UTC(2026, 5, 1 + d)).toISOString().slice(0, 10);

// Seeds far from the training script's (2026 + d), so no evaluation batch was trained on.
function oursBatches(): LabelledBatch[] {
  return Array.from({ length: seeds }, (_, i) => {
    const g = generateBatch({ date: date(i), alerts, seed: 90_000 + i, difficulty: [0.3, 0.5, 0.7][i % 3] });
    return { batch: g.batch, labels: g.labels };
  });
}

/** The same batches cut to the core columns, as a producer that fills only those would send them. */
function coreOnly(batches: LabelledBatch[]): LabelledBatch[] {
  const core = new Set<string>(CORE_FEATURE_COLUMNS);
  return batches.map(({ batch, labels }) => ({
    labels,
    batch: {
      ...batch,
      features: {
        address: batch.features.address,
        columns: new Map([...batch.features.columns].filter(([name]) => core.has(name))),
      },
    },
  }));
}

function foreignBatches(featureColumns: 'core' | 'core+some' | 'all'): LabelledBatch[] {
  return Array.from({ length: seeds }, (_, i) => {
    const f = generateForeignBatch({ seed: 500 + i, date: date(i), alerts, style: { featureColumns } });
    return { batch: f.batch, labels: f.labels };
  });
}

const models = await loadShipped(values.models);
const ours = oursBatches();
const sets: [string, LabelledBatch[]][] = [
  ['ours', ours],
  ['ours core', coreOnly(ours)],
  ['foreign all', foreignBatches('all')],
  ['foreign core+some', foreignBatches('core+some')],
  ['foreign core', foreignBatches('core')],
];

const fmt = (x: number | null | undefined) => (typeof x === 'number' ? x.toFixed(3) : '  -  ');
const report: Record<string, Record<string, Record<string, number | null>>> = {};
const header = [
  'data'.padEnd(18),
  'baseline AUC',
  'scorer AUC',
  'scorer AP',
  'cluster AUC',
  'cluster AP',
  'ranker NDCG@10',
  'ranker AUC',
];
console.log(header.join(' | '));
for (const [name, batches] of sets) {
  const baseline = meanOverBatches(batches.map(confidenceBaseline));
  const byModel = Object.fromEntries(models.map((m) => [m.task, evaluateOnBatches(m, batches)]));
  report[name] = { baseline, ...byModel };
  const s = byModel.alert_scorer;
  const c = byModel.cluster_scorer;
  const r = byModel.alert_ranker;
  console.log(
    [
      name.padEnd(18),
      fmt(baseline.auc).padEnd(12),
      fmt(s.auc).padEnd(10),
      fmt(s.average_precision).padEnd(9),
      fmt(c.auc).padEnd(11),
      fmt(c.average_precision).padEnd(10),
      fmt(r.ndcg_at_10).padEnd(14),
      fmt(r.auc_high_risk),
    ].join(' | '),
  );
}
if (values.json) await writeFile(values.json, `${JSON.stringify({ seeds, alerts, report }, null, 2)}\n`);
