/**
 * Per-query top-k metrics, averaged over queries: NDCG@k (LightGBM's: a query whose ideal DCG is 0
 * scores 1), precision@k (relevant = label > 0, over the min(k, query size) top rows) and recall@k
 * (queries without relevant rows are skipped). `bounds` are query boundaries [0, ..., n]; pass
 * [0, n] to treat all rows as one query. Pure functions.
 */
import { discount, gainOf, maxDcgAtK, orderByScoreDesc } from './dcg.js';

function maxQuerySize(bounds: Int32Array): number {
  let m = 0;
  for (let q = 0; q + 1 < bounds.length; q++) m = Math.max(m, bounds[q + 1] - bounds[q]);
  return m;
}

export function ndcgAtK(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  bounds: Int32Array,
  k: number,
  labelGain: readonly number[],
): number {
  const order = new Int32Array(maxQuerySize(bounds));
  let sum = 0;
  const numQueries = bounds.length - 1;
  for (let q = 0; q < numQueries; q++) {
    const begin = bounds[q];
    const end = bounds[q + 1];
    const ideal = maxDcgAtK(labels, begin, end, k, labelGain);
    if (ideal <= 0) {
      sum += 1;
      continue;
    }
    const sorted = orderByScoreDesc(scores, begin, end, order);
    let dcg = 0;
    const top = Math.min(k, sorted.length);
    for (let i = 0; i < top; i++) dcg += gainOf(labelGain, labels[sorted[i]]) * discount(i);
    sum += dcg / ideal;
  }
  return sum / numQueries;
}

export function precisionAtK(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  bounds: Int32Array,
  k: number,
): number {
  const order = new Int32Array(maxQuerySize(bounds));
  let sum = 0;
  const numQueries = bounds.length - 1;
  for (let q = 0; q < numQueries; q++) {
    const sorted = orderByScoreDesc(scores, bounds[q], bounds[q + 1], order);
    const top = Math.min(k, sorted.length);
    let hits = 0;
    for (let i = 0; i < top; i++) if (labels[sorted[i]] > 0) hits++;
    sum += hits / top;
  }
  return sum / numQueries;
}

export function recallAtK(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  bounds: Int32Array,
  k: number,
): number {
  const order = new Int32Array(maxQuerySize(bounds));
  let sum = 0;
  let counted = 0;
  for (let q = 0; q + 1 < bounds.length; q++) {
    let relevant = 0;
    for (let i = bounds[q]; i < bounds[q + 1]; i++) if (labels[i] > 0) relevant++;
    if (relevant === 0) continue;
    const sorted = orderByScoreDesc(scores, bounds[q], bounds[q + 1], order);
    const top = Math.min(k, sorted.length);
    let hits = 0;
    for (let i = 0; i < top; i++) if (labels[sorted[i]] > 0) hits++;
    sum += hits / relevant;
    counted++;
  }
  return counted > 0 ? sum / counted : Number.NaN;
}
