/**
 * Tier 3, ground truth (SPEC §3): once labels for the batch's date arrive, the stored answer is
 * scored on the real (non-trap) alerts: t3 = 0.6 · AUC-ROC + 0.4 · AUC-PR. It needs at least ten
 * labelled alerts with both classes; otherwise tier 3 is unknown (undefined), never zero. Pure.
 */
import { auc, averagePrecision } from '../gbdt/metric/auc.js';

export const TIER3_MIN_LABELLED = 10;

export interface Tier3Result {
  t3: number;
  aucRoc: number;
  aucPr: number;
  labelled: number;
  positives: number;
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
  for (let i = 0; i < labels.length; i++) {
    if (Number.isNaN(labels[i])) continue;
    s.push(scores[i]);
    l.push(labels[i]);
    w.push(weights === undefined ? 1 : weights[i]);
    if (labels[i] > 0) positives++;
  }
  if (s.length < TIER3_MIN_LABELLED || positives === 0 || positives === s.length) return undefined;
  const aucRoc = auc(s, l, w);
  const aucPr = averagePrecision(s, l, w);
  return { t3: 0.6 * aucRoc + 0.4 * aucPr, aucRoc, aucPr, labelled: s.length, positives };
}
