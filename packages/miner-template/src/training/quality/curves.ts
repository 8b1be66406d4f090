/**
 * The curves of a quality report, as pure functions of scores, labels (> 0 is positive) and
 * optional weights: ROC and precision–recall curves with one point per distinct score (ties form
 * one step, as the AUC and average-precision metrics in gbdt/metric/auc.ts group them, so the area
 * under these curves is those metrics), calibration bins over [0, 1], and precision/recall at the
 * top k % of the queue. Nothing here reads files or draws.
 */
import { precisionAtK, recallAtK } from '../../gbdt/metric/ranking.js';

export interface CurvePoint {
  x: number;
  y: number;
}

/** Row indices by score, descending (ties in row order; grouping makes the order irrelevant). */
function descending(scores: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

interface Step {
  pos: number;
  neg: number;
}

/** Positive and negative weight per distinct score, highest first; undefined without both classes. */
function thresholdSteps(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): { steps: Step[]; totalPos: number; totalNeg: number } | undefined {
  const order = descending(scores);
  const steps: Step[] = [];
  let totalPos = 0;
  let totalNeg = 0;
  let k = 0;
  while (k < order.length) {
    const s = scores[order[k]];
    const step = { pos: 0, neg: 0 };
    while (k < order.length && scores[order[k]] === s) {
      const r = order[k++];
      const w = weights === undefined ? 1 : weights[r];
      if (labels[r] > 0) step.pos += w;
      else step.neg += w;
    }
    totalPos += step.pos;
    totalNeg += step.neg;
    steps.push(step);
  }
  return totalPos > 0 && totalNeg > 0 ? { steps, totalPos, totalNeg } : undefined;
}

/** ROC curve: (false-positive rate, true-positive rate) from (0, 0) to (1, 1); empty without both classes. */
export function rocCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): CurvePoint[] {
  const t = thresholdSteps(scores, labels, weights);
  if (!t) return [];
  const points: CurvePoint[] = [{ x: 0, y: 0 }];
  let pos = 0;
  let neg = 0;
  for (const step of t.steps) {
    pos += step.pos;
    neg += step.neg;
    points.push({ x: neg / t.totalNeg, y: pos / t.totalPos });
  }
  return points;
}

/**
 * Precision–recall curve: (recall, precision) at each distinct threshold, starting at recall 0
 * with the first threshold's precision; empty without both classes.
 */
export function prCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): CurvePoint[] {
  const t = thresholdSteps(scores, labels, weights);
  if (!t) return [];
  const points: CurvePoint[] = [];
  let pos = 0;
  let all = 0;
  for (const step of t.steps) {
    pos += step.pos;
    all += step.pos + step.neg;
    const point = { x: pos / t.totalPos, y: all > 0 ? pos / all : 1 };
    if (points.length === 0) points.push({ x: 0, y: point.y });
    points.push(point);
  }
  return points;
}

/** Area under a polyline by the trapezoid rule (ROC: the rank AUC, ties counting one half). */
export function trapezoidArea(points: readonly CurvePoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++)
    area += ((points[i].x - points[i - 1].x) * (points[i].y + points[i - 1].y)) / 2;
  return area;
}

/** Area under a step curve, each recall gain taken at its new precision (PR: average precision). */
export function stepArea(points: readonly CurvePoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) area += (points[i].x - points[i - 1].x) * points[i].y;
  return area;
}

export interface CalibrationBin {
  lo: number;
  hi: number;
  /** Rows whose score falls in [lo, hi) ([lo, 1] for the last bin; scores outside [0, 1] are clamped). */
  count: number;
  weight: number;
  /** Weighted mean score of the bin's rows (NaN when empty). */
  meanScore: number;
  /** Weighted share of positives among the bin's rows (NaN when empty). */
  observedRate: number;
}

/** Equal-width calibration bins over [0, 1]; every row lands in exactly one bin. */
export function calibrationBins(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
  numBins = 10,
): CalibrationBin[] {
  const count = new Array<number>(numBins).fill(0);
  const weight = new Array<number>(numBins).fill(0);
  const scoreSum = new Array<number>(numBins).fill(0);
  const posSum = new Array<number>(numBins).fill(0);
  for (let r = 0; r < scores.length; r++) {
    const s = Math.min(1, Math.max(0, Number.isNaN(scores[r]) ? 0 : scores[r]));
    const b = Math.min(numBins - 1, Math.floor(s * numBins));
    const w = weights === undefined ? 1 : weights[r];
    count[b]++;
    weight[b] += w;
    scoreSum[b] += w * s;
    if (labels[r] > 0) posSum[b] += w;
  }
  return count.map((n, b) => ({
    lo: b / numBins,
    hi: (b + 1) / numBins,
    count: n,
    weight: weight[b],
    meanScore: weight[b] > 0 ? scoreSum[b] / weight[b] : Number.NaN,
    observedRate: weight[b] > 0 ? posSum[b] / weight[b] : Number.NaN,
  }));
}

/** Expected calibration error: the weight-averaged |mean score − observed rate| over the bins. */
export function expectedCalibrationError(bins: readonly CalibrationBin[]): number {
  let total = 0;
  let err = 0;
  for (const b of bins) {
    if (b.weight <= 0) continue;
    total += b.weight;
    err += b.weight * Math.abs(b.meanScore - b.observedRate);
  }
  return total > 0 ? err / total : Number.NaN;
}

export interface TopKPoint {
  /** Share of the queue reviewed, e.g. 0.05 for the top 5 %. */
  fraction: number;
  k: number;
  precision: number;
  recall: number;
}

/** Precision and recall among the top `fraction` of rows by score (at least one row). */
export function topKPrecisionRecall(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  fractions: readonly number[],
): TopKPoint[] {
  const bounds = Int32Array.of(0, scores.length);
  return fractions.map((fraction) => {
    const k = Math.max(1, Math.round(scores.length * fraction));
    return {
      fraction,
      k,
      precision: scores.length > 0 ? precisionAtK(scores, labels, bounds, k) : Number.NaN,
      recall: recallAtK(scores, labels, bounds, k),
    };
  });
}

/** At most `max` points of a curve for drawing: evenly spaced, first and last always kept. */
export function thinCurve(points: readonly CurvePoint[], max: number): CurvePoint[] {
  if (points.length <= max) return [...points];
  const out: CurvePoint[] = [];
  const stride = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * stride)]);
  return out;
}
