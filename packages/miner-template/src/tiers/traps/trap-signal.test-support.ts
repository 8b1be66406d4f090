/**
 * Whether traps pay for skill (docs/validator.md, "Stealth audit: measurements"): a GBDT trained on
 * a request's labelled real alerts ranks held-out real alerts and the traps. Shared by
 * stealth.foreign.test.ts and scripts/measure-trap-stealth.ts.
 */
import type { Batch } from '../../data/batch.js';
import { train } from '../../gbdt/boosting/gbdt.js';
import { auc } from '../../gbdt/metric/auc.js';
import { predictRawBatch } from '../../gbdt/predict/index.js';
import { Rng } from '../../random.js';
import type { AddressLabel } from '../../schemas/address-label.js';
import { alertTruthByLabel } from './material.js';
import { minerView } from './miner-view.js';
import type { CycleRequest } from './pool.js';

export interface Scored {
  score: number;
  truth: number;
}

export const pooledAuc = (xs: readonly Scored[]) =>
  auc(
    Float64Array.from(xs, (x) => x.score),
    Float64Array.from(xs, (x) => x.truth),
  );

/** Feature-row and alert columns of a batch's miner view, one row per alert. */
function signalView(batch: Batch) {
  const view = minerView(batch);
  const keep = view.names.flatMap((n, j) =>
    n.startsWith('f.') || n === 'volume_usd' || n === 'alert_confidence_score' ? [j] : [],
  );
  return {
    names: keep.map((j) => view.names[j]),
    row: (i: number) => Float64Array.from(keep, (j) => view.values[i * view.names.length + j]),
  };
}

/**
 * A GBDT trained on the labelled real alerts of the request (traps left out) scores held-out real
 * alerts (`real`: their AUC) and the traps (`traps`: each score as a rank among the held-out
 * scores, so seeds with their own models can be pooled).
 */
export function rankTraps(
  today: { batch: Batch; labels: readonly AddressLabel[] },
  req: CycleRequest,
  seed: number,
) {
  const truthOfReal = alertTruthByLabel(today.batch, today.labels);
  const view = signalView(req.batch);
  const reals: { i: number; y: number }[] = [];
  req.batch.alerts.forEach((a, i) => {
    if (req.trapTruth.has(a.alert_id)) return;
    const y = truthOfReal[req.origin[i].index];
    if (y !== undefined) reals.push({ i, y });
  });
  new Rng(seed, 'signal').shuffle(reals);
  const cut = Math.floor(reals.length * 0.6);
  const matrix = (rows: number[]) => {
    const out = new Float64Array(rows.length * view.names.length);
    rows.forEach((r, k) => {
      out.set(view.row(r), k * view.names.length);
    });
    return out;
  };
  const trainRows = reals.slice(0, cut);
  const { model } = train(
    {
      features: matrix(trainRows.map((x) => x.i)),
      numRows: trainRows.length,
      featureNames: view.names,
      label: Float64Array.from(trainRows, (x) => x.y),
    },
    {
      objective: 'binary',
      num_iterations: 60,
      learning_rate: 0.1,
      num_leaves: 15,
      min_data_in_leaf: 10,
      feature_fraction: 0.8,
      lambda_l2: 1,
      seed,
      verbosity: -1,
    },
  );
  const held = reals.slice(cut);
  const heldScores = predictRawBatch(model, matrix(held.map((x) => x.i)), held.length);
  const real = auc(
    heldScores,
    Float64Array.from(held, (x) => x.y),
  );
  const trapRows = req.batch.alerts.flatMap((a, i) => (req.trapTruth.has(a.alert_id) ? [i] : []));
  const trapScores = predictRawBatch(model, matrix(trapRows), trapRows.length);
  const rank = (s: number) => heldScores.filter((h) => h < s).length / heldScores.length;
  const traps = trapRows.map((i, k) => ({
    score: rank(trapScores[k]),
    truth: req.trapTruth.get(req.batch.alerts[i].alert_id)!,
  }));
  return { real, traps };
}

/**
 * The upstream confidence (the reference miner's scores) on the traps, and its AUC on the
 * request's labelled real alerts: traps must not pay it more than its skill.
 */
export function confidenceOnTraps(
  today: { batch: Batch; labels: readonly AddressLabel[] },
  req: CycleRequest,
): { traps: Scored[]; realAuc: number } {
  const truthOfReal = alertTruthByLabel(today.batch, today.labels);
  const traps: Scored[] = [];
  const reals: Scored[] = [];
  req.batch.alerts.forEach((a, i) => {
    const score = Number.isNaN(a.alert_confidence_score) ? 0 : a.alert_confidence_score;
    const trap = req.trapTruth.get(a.alert_id);
    if (trap !== undefined) traps.push({ score, truth: trap });
    else {
      const y = truthOfReal[req.origin[i].index];
      if (y !== undefined) reals.push({ score, truth: y });
    }
  });
  return { traps, realAuc: pooledAuc(reals) };
}
