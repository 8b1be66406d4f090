/**
 * DCG building blocks shared by the NDCG metric and the lambdarank objective: position discount
 * 1/log2(2 + i) (i zero-based), label gains from a table, the ideal DCG at k, and a stable order of
 * a query's rows by score, descending (LightGBM sorts with std::stable_sort, so ties keep row order).
 */

export function discount(position: number): number {
  return 1 / Math.log2(2 + position);
}

/** Label -> gain, checking the label is an integer the table covers. */
export function gainOf(labelGain: readonly number[], label: number): number {
  const g = labelGain[label];
  if (!Number.isInteger(label) || g === undefined) {
    throw new RangeError(`label ${label} has no entry in label_gain (size ${labelGain.length})`);
  }
  return g;
}

/** DCG of the ideal ordering of labels[begin, end) truncated at k. */
export function maxDcgAtK(
  labels: ArrayLike<number>,
  begin: number,
  end: number,
  k: number,
  labelGain: readonly number[],
): number {
  const gains: number[] = [];
  for (let i = begin; i < end; i++) gains.push(gainOf(labelGain, labels[i]));
  gains.sort((a, b) => b - a);
  let dcg = 0;
  const top = Math.min(k, gains.length);
  for (let i = 0; i < top; i++) dcg += gains[i] * discount(i);
  return dcg;
}

/** Rows begin..end-1 ordered by score descending, ties by row index (a stable sort). */
export function orderByScoreDesc(
  scores: ArrayLike<number>,
  begin: number,
  end: number,
  out: Int32Array,
): Int32Array {
  const count = end - begin;
  const order = out.subarray(0, count);
  for (let i = 0; i < count; i++) order[i] = begin + i;
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order;
}
