/**
 * Threshold-free binary ranking metrics over scores: AUC-ROC (weighted, ties count one half, so it
 * equals the weighted fraction of correctly ordered positive/negative pairs) and average precision
 * (AUC-PR as a step sum over distinct score thresholds, ties grouped). Labels > 0 are positives.
 * Both return NaN when a class is missing: the value is undefined there, not zero. Pure functions.
 */

/** Row indices sorted by score, descending; ties in row order (the order does not change results). */
function descendingOrder(scores: ArrayLike<number>): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

export function auc(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  const order = descendingOrder(scores);
  let posAbove = 0;
  let totalPos = 0;
  let totalNeg = 0;
  let area = 0;
  let k = 0;
  while (k < order.length) {
    const s = scores[order[k]];
    let groupPos = 0;
    let groupNeg = 0;
    while (k < order.length && scores[order[k]] === s) {
      const r = order[k++];
      const w = weights === undefined ? 1 : weights[r];
      if (labels[r] > 0) groupPos += w;
      else groupNeg += w;
    }
    // Each negative in the group beats nobody above and ties with the group's positives.
    area += groupNeg * (posAbove + groupPos / 2);
    posAbove += groupPos;
    totalPos += groupPos;
    totalNeg += groupNeg;
  }
  if (totalPos <= 0 || totalNeg <= 0) return Number.NaN;
  return area / (totalPos * totalNeg);
}

export function averagePrecision(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  const order = descendingOrder(scores);
  let totalPos = 0;
  let totalNeg = 0;
  for (let r = 0; r < order.length; r++) {
    const w = weights === undefined ? 1 : weights[r];
    if (labels[r] > 0) totalPos += w;
    else totalNeg += w;
  }
  if (totalPos <= 0 || totalNeg <= 0) return Number.NaN;
  let cumPos = 0;
  let cumAll = 0;
  let ap = 0;
  let k = 0;
  while (k < order.length) {
    const s = scores[order[k]];
    let groupPos = 0;
    let groupAll = 0;
    while (k < order.length && scores[order[k]] === s) {
      const r = order[k++];
      const w = weights === undefined ? 1 : weights[r];
      if (labels[r] > 0) groupPos += w;
      groupAll += w;
    }
    cumPos += groupPos;
    cumAll += groupAll;
    // Recall grows by groupPos/totalPos at this threshold, at precision cumPos/cumAll.
    if (groupPos > 0) ap += (groupPos / totalPos) * (cumPos / cumAll);
  }
  return ap;
}
