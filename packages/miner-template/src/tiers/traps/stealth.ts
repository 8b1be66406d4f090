/**
 * The stealth audit (docs/validator.md, "Stealth audit"): can a gradient-boosted detector, trained
 * on everything a miner sees (miner-view.ts), tell the request's traps from its real alerts? The
 * answer is the out-of-fold AUC of a k-fold cross-validation: 0.5 means the traps are
 * indistinguishable, 1.0 means a miner could find every one. The validator logs and exports the
 * figure every cycle; the target is ≤ 0.6. The most useful features of the detector say which
 * tell to fix when it is not.
 */
import type { Batch } from '../../data/batch.js';
import { train } from '../../gbdt/boosting/gbdt.js';
import { auc } from '../../gbdt/metric/auc.js';
import { predictRawBatch } from '../../gbdt/predict/index.js';
import { Rng } from '../../random.js';
import { featureImportance } from '../../training/importance.js';
import { nearestOtherRowDistances } from './memory-attack.js';
import { type MinerView, minerView } from './miner-view.js';

export const STEALTH_TARGET_AUC = 0.6;

export interface StealthAudit {
  auc: number;
  traps: number;
  reals: number;
  folds: number;
  /** Detector features by total gain over the folds, best first. */
  tells: { feature: string; gain: number }[];
  /**
   * With `keepScores`: the detector's out-of-fold trap score of each request alert (raw log-odds,
   * request order), NaN for real alerts the audit did not sample. The adversary simulation hands
   * these to its trap spotter, so the spotter exploits exactly the tells the audit can find.
   */
  scores?: Float64Array;
}

export interface StealthOptions {
  seed?: number;
  folds?: number;
  /** Real alerts sampled per trap (the detector's negatives). */
  realsPerTrap?: number;
  keepScores?: boolean;
}

/**
 * The view plus `row.nearest_other`, each audited alert's rank distance to the nearest other alert
 * row of the request: a trap built from a real alert's row would sit next to it (the twin attack),
 * and one pushed off every real row would sit far from all.
 */
function withTwinDistance(view: MinerView, request: Batch, audited: readonly number[]): MinerView {
  const d = view.names.length;
  const twin = new Float64Array(view.numRows).fill(Number.NaN);
  const distances = nearestOtherRowDistances(request, audited);
  audited.forEach((row, k) => {
    twin[row] = distances[k];
  });
  const values = new Float64Array(view.numRows * (d + 1));
  for (let r = 0; r < view.numRows; r++) {
    values.set(view.values.subarray(r * d, r * d + d), r * (d + 1));
    values[r * (d + 1) + d] = twin[r];
  }
  return { names: [...view.names, 'row.nearest_other'], values, numRows: view.numRows };
}

export function auditTrapStealth(
  request: Batch,
  trapIds: ReadonlySet<string>,
  options: StealthOptions = {},
): StealthAudit {
  const folds = options.folds ?? 5;
  const rng = new Rng(options.seed ?? 0, 'stealth-audit');
  const trapRows: number[] = [];
  const realRows: number[] = [];
  request.alerts.forEach((a, i) => {
    (trapIds.has(a.alert_id) ? trapRows : realRows).push(i);
  });
  rng.shuffle(realRows);
  const reals = realRows.slice(0, Math.max(trapRows.length, trapRows.length * (options.realsPerTrap ?? 10)));
  if (trapRows.length < folds || reals.length < folds)
    return { auc: Number.NaN, traps: trapRows.length, reals: reals.length, folds, tells: [] };

  const rows = [...trapRows, ...reals];
  const view = withTwinDistance(minerView(request), request, rows);
  const d = view.names.length;
  const label = Float64Array.from(rows, (_, k) => (k < trapRows.length ? 1 : 0));
  // Stratified folds by address: alerts on one address (traps come in such groups, as real
  // alerts do) share their row and flows, and a group split across folds would let the detector
  // recognise the address instead of learning a tell. A miner's detector never sees the labels of
  // the traps it is looking for, so nothing of them may reach training.
  const fold = new Int32Array(rows.length);
  for (const [start, end] of [
    [0, trapRows.length],
    [trapRows.length, rows.length],
  ]) {
    const groups = new Map<string, number[]>();
    for (let r = start; r < end; r++) {
      const address = request.alerts[rows[r]].address;
      if (!groups.has(address)) groups.set(address, []);
      groups.get(address)!.push(r);
    }
    const list = [...groups.values()];
    rng.shuffle(list);
    // Largest groups first, each into the fold with fewest rows so far: folds stay balanced.
    list.sort((a, b) => b.length - a.length);
    const size = new Array<number>(folds).fill(0);
    for (const g of list) {
      const k = size.indexOf(Math.min(...size));
      for (const r of g) fold[r] = k;
      size[k] += g.length;
    }
  }
  const matrix = (subset: number[]) => {
    const out = new Float64Array(subset.length * d);
    subset.forEach((r, k) => {
      out.set(view.values.subarray(rows[r] * d, rows[r] * d + d), k * d);
    });
    return out;
  };
  const oof = new Float64Array(rows.length);
  const gain = new Map<string, number>();
  for (let k = 0; k < folds; k++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    rows.forEach((_, r) => {
      (fold[r] === k ? testIdx : trainIdx).push(r);
    });
    const { model } = train(
      {
        features: matrix(trainIdx),
        numRows: trainIdx.length,
        featureNames: view.names,
        label: Float64Array.from(trainIdx, (r) => label[r]),
      },
      {
        objective: 'binary',
        num_iterations: 60,
        learning_rate: 0.1,
        num_leaves: 15,
        min_data_in_leaf: 5,
        feature_fraction: 0.8,
        lambda_l2: 1,
        seed: (options.seed ?? 0) + k,
        verbosity: -1,
      },
    );
    const pred = predictRawBatch(model, matrix(testIdx), testIdx.length);
    testIdx.forEach((r, j) => {
      oof[r] = pred[j];
    });
    for (const imp of featureImportance(model))
      gain.set(imp.feature, (gain.get(imp.feature) ?? 0) + imp.gain);
  }
  let scores: Float64Array | undefined;
  if (options.keepScores) {
    scores = new Float64Array(request.alerts.length).fill(Number.NaN);
    rows.forEach((row, r) => {
      scores![row] = oof[r];
    });
  }
  return {
    auc: auc(oof, label),
    traps: trapRows.length,
    reals: reals.length,
    folds,
    ...(scores ? { scores } : {}),
    tells: [...gain]
      .filter(([, g]) => g > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([feature, g]) => ({ feature, gain: g })),
  };
}
