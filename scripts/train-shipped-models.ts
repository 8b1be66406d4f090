/**
 * Rebuilds trained_models/ "for the world": labelled batches from many generator regimes
 * (difficulty, typology mix, network size, amount level, rounding, missingness, column subsets,
 * window length; src/training/regimes.ts), each with a random set of column groups blanked
 * (column-group dropout, src/training/column-dropout.ts), so no model leans on one producer's
 * habits or on a group some producers lack. Trains the alert scorer, alert ranker and cluster
 * scorer with the template's own trainer, scores each on a held-out regime that training never
 * sees (whole, per column group removed, core columns only) into `performance`, and writes
 * `{model}_v{version}.{txt,onnx}` plus model_metadata.json.
 *
 *   node --import tsx scripts/train-shipped-models.ts [--out trained_models] [--version 1.1.0]
 *        [--batches 20] [--alerts 2500] [--heldout-batches 2] [--seed 2026] [--models …]
 *
 * Deterministic: the same arguments give the same model files (metadata's trained_at aside).
 * The foreign producer (src/foreign) is never trained on: scripts/evaluate-generalization.ts
 * measures the result on it.
 */
import { parseArgs } from 'node:util';
import { Rng } from '../packages/miner-template/src/random.js';
import { MODEL_NAMES } from '../packages/miner-template/src/schemas/api.js';
import { generateBatch } from '../packages/miner-template/src/synthetic/generate.js';
import { writeModelArtifacts } from '../packages/miner-template/src/training/artifacts.js';
import { drawDropout, dropColumnGroups } from '../packages/miner-template/src/training/column-dropout.js';
import { drawTrainingRegime, HELDOUT_REGIME } from '../packages/miner-template/src/training/regimes.js';
import { robustnessReport } from '../packages/miner-template/src/training/robustness.js';
import { trainModel } from '../packages/miner-template/src/training/train-model.js';
import type { LabelledBatch } from '../packages/miner-template/src/training/training-set.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'trained_models' },
    version: { type: 'string', default: '1.1.0' },
    batches: { type: 'string', default: '20' },
    alerts: { type: 'string', default: '2500' },
    'heldout-batches': { type: 'string', default: '2' },
    seed: { type: 'string', default: '2026' },
    models: { type: 'string', default: MODEL_NAMES.join(',') },
    'num-iterations': { type: 'string' },
  },
});

const count = Number(values.batches);
const alerts = Number(values.alerts);
const seed = Number(values.seed);
const day = (d: number) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);

const batches: LabelledBatch[] = [];
for (let d = 0; d < count; d++) {
  const rng = new Rng(seed, `regime:${d}`);
  const draw = drawTrainingRegime(rng);
  const g = generateBatch({ date: day(d), alerts, seed: seed + d, ...draw });
  const dropped = drawDropout(rng.fork('dropout'));
  batches.push({ batch: dropColumnGroups(g.batch, dropped), labels: g.labels });
  process.stderr.write(
    `[data] ${day(d)} ${draw.network} ${draw.windowDays}d difficulty ${draw.difficulty.toFixed(2)} ` +
      `amounts ×${draw.regime.amountScale?.toFixed(2)} ${draw.regime.export?.featureColumns} ` +
      `missing ${draw.regime.export?.missingRate?.toFixed(2)}; dropped [${dropped.join(', ')}]: ` +
      `${g.batch.alerts.length} alerts, positive rate ${g.truth.positive_rate.toFixed(3)}\n`,
  );
}

const heldOut: LabelledBatch[] = Array.from({ length: Number(values['heldout-batches']) }, (_, i) => {
  const g = generateBatch({ date: day(200 + i), alerts, seed: 77_000 + i, ...HELDOUT_REGIME });
  return { batch: g.batch, labels: g.labels };
});

for (const task of values.models.split(',') as (typeof MODEL_NAMES)[number][]) {
  const started = Date.now();
  const result = trainModel({
    task,
    batches,
    version: values.version,
    folds: 0,
    seed,
    ...(values['num-iterations'] ? { params: { num_iterations: values['num-iterations'] } } : {}),
    onProgress: (e) => {
      if (e.stage === 'features') process.stderr.write(`[${task}] ${e.rows} rows × ${e.columns} features\n`);
      if (e.stage === 'selection')
        process.stderr.write(`[${task}] selection kept ${e.kept}, dropped ${e.dropped}\n`);
    },
  });
  const robustness = robustnessReport({ task, model: result.model, meta: result.metadata }, heldOut);
  result.metadata.performance = { ...result.metadata.performance, ...robustness };
  const written = await writeModelArtifacts(values.out, result.model, result.metadata);
  process.stderr.write(
    `[${task}] ${result.model.trees.length} trees in ${((Date.now() - started) / 1000).toFixed(1)} s; held-out split ${JSON.stringify(result.metrics)}\n` +
      `[${task}] held-out regime ${JSON.stringify(robustness)}\n[${task}] wrote ${written.textPath}\n`,
  );
}
