/**
 * Tier 3, ground truth (docs/validator.md, "Tier 3"): once labels for the batch's date arrive, the
 * stored answer is scored on the real (non-trap) alerts with chance removed,
 *   t3 = 0.6 · max(0, 2·AUC − 1) + 0.4 · max(0, (AP − p) / (1 − p)),   p = the positive rate,
 * so a random or constant answer earns 0 however imbalanced the batch is (a plain AUC would give it
 * 0.5 and a plain AP would give it p). It needs at least ten labelled alerts with both classes;
 * otherwise tier 3 is unknown (undefined), never zero. Pure.
 */
import { auc, averagePrecision } from '../gbdt/metric/auc.js';

export const TIER3_MIN_LABELLED = 10;

export interface Tier3Result {
  t3: number;
  aucRoc: number;
  aucPr: number;
  /** The (weighted) positive rate p that AP is measured against. */
  positiveRate: number;
  labelled: number;
  positives: number;
}

/** AUC and AP with chance removed, each clipped to [0, 1]. */
export function chanceRemoved(aucRoc: number, aucPr: number, positiveRate: number): number {
  // Clipped at 1 too: a weighted AUC summed in floating point can come out a hair above 1.
  const rocPart = Math.min(1, Math.max(0, 2 * aucRoc - 1));
  const prPart = positiveRate < 1 ? Math.max(0, (aucPr - positiveRate) / (1 - positiveRate)) : 0;
  return 0.6 * rocPart + 0.4 * Math.min(1, prPart);
}

/**
 * @param scores the miner's scores, aligned with `labels`
 * @param labels 1 positive, 0 negative, NaN unlabelled (skipped)
 * @param weights optional sample weights (labels' confidence_score)
 */
export function checkTier3(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): Tier3Result | undefined {
  const s: number[] = [];
  const l: number[] = [];
  const w: number[] = [];
  let positives = 0;
  let weightAll = 0;
  let weightPos = 0;
  for (let i = 0; i < labels.length; i++) {
    if (Number.isNaN(labels[i])) continue;
    const wi = weights === undefined ? 1 : weights[i];
    s.push(Number.isFinite(scores[i]) ? scores[i] : 0);
    l.push(labels[i]);
    w.push(wi);
    weightAll += wi;
    if (labels[i] > 0) {
      positives++;
      weightPos += wi;
    }
  }
  if (s.length < TIER3_MIN_LABELLED || positives === 0 || positives === s.length || !(weightAll > 0))
    return undefined;
  const aucRoc = auc(s, l, w);
  const aucPr = averagePrecision(s, l, w);
  if (Number.isNaN(aucRoc) || Number.isNaN(aucPr)) return undefined;
  const positiveRate = weightPos / weightAll;
  return {
    t3: chanceRemoved(aucRoc, aucPr, positiveRate),
    aucRoc,
    aucPr,
    positiveRate,
    labelled: s.length,
    positives,
  };
}
