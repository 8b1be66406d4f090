/**
 * Rebuilds trained_models/: generates labelled synthetic batches for several dates (a realistic
 * mix of difficulties), trains the alert scorer, alert ranker and cluster scorer with the
 * template's own trainer, and writes `{model}_v{version}.{txt,onnx}` plus model_metadata.json.
 *
 *   node --import tsx scripts/train-shipped-models.ts [--out trained_models] [--version 1.0.0]
 *        [--dates 6] [--alerts 4000] [--seed 2026]
 *
 * Deterministic: the same arguments give the same model files (metadata's trained_at aside).
 */
import { parseArgs } from 'node:util';
import { MODEL_NAMES } from '../packages/miner-template/src/schemas/api.js';
import { generateBatch } from '../packages/miner-template/src/synthetic/generate.js';
import { writeModelArtifacts } from '../packages/miner-template/src/training/artifacts.js';
import { trainModel } from '../packages/miner-template/src/training/train-model.js';
import type { LabelledBatch } from '../packages/miner-template/src/training/training-set.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'trained_models' },
    version: { type: 'string', default: '1.0.0' },
    dates: { type: 'string', default: '6' },
    alerts: { type: 'string', default: '4000' },
    seed: { type: 'string', default: '2026' },
    models: { type: 'string', default: MODEL_NAMES.join(',') },
    'num-iterations': { type: 'string' },
  },
});

const dates = Number(values.dates);
const alerts = Number(values.alerts);
const seed = Number(values.seed);
const difficulties = [0.3, 0.5, 0.7];
const batches: LabelledBatch[] = [];
for (let d = 0; d < dates; d++) {
  const date = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
  const g = generateBatch({
    date,
    alerts,
    seed: seed + d,
    difficulty: difficulties[d % difficulties.length],
  });
  batches.push({ batch: g.batch, labels: g.labels });
  process.stderr.write(
    `[data] ${date}: ${g.batch.alerts.length} alerts, ${g.batch.clusters.length} clusters\n`,
  );
}

for (const task of values.models.split(',') as (typeof MODEL_NAMES)[number][]) {
  const started = Date.now();
  const result = trainModel({
    task,
    batches,
    version: values.version,
    folds: 3,
    seed,
    ...(values['num-iterations'] ? { params: { num_iterations: values['num-iterations'] } } : {}),
    onProgress: (e) => {
      if (e.stage === 'features') process.stderr.write(`[${task}] ${e.rows} rows × ${e.columns} features\n`);
      if (e.stage === 'selection')
        process.stderr.write(`[${task}] selection kept ${e.kept}, dropped ${e.dropped}\n`);
      if (e.stage === 'fold')
        process.stderr.write(`[${task}] fold ${e.fold}/${e.folds} ${JSON.stringify(e.metrics)}\n`);
    },
  });
  const written = await writeModelArtifacts(values.out, result.model, result.metadata);
  process.stderr.write(
    `[${task}] ${result.model.trees.length} trees in ${((Date.now() - started) / 1000).toFixed(1)} s; held-out ${JSON.stringify(result.metrics)}\n[${task}] wrote ${written.textPath}\n`,
  );
}
