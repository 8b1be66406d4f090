/** Regression errors: weighted mean squared error (LightGBM's "l2") and its root ("rmse"). Pure. */

export function l2(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const w = weights === undefined ? 1 : weights[i];
    const e = predictions[i] - labels[i];
    sum += w * e * e;
    total += w;
  }
  return sum / total;
}

export function rmse(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  return Math.sqrt(l2(predictions, labels, weights));
}
