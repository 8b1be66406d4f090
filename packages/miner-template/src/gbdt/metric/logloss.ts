/** Binary log loss on probabilities (weighted mean), clamped like LightGBM to avoid log(0). Pure. */

const EPSILON = 1e-15;

export function binaryLogLoss(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const w = weights === undefined ? 1 : weights[i];
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, probabilities[i]));
    sum -= w * (labels[i] > 0 ? Math.log(p) : Math.log(1 - p));
    total += w;
  }
  return sum / total;
}
