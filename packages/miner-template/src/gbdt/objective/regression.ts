/** Squared error (LightGBM's RegressionL2loss): grad = w·(score − label), hess = w. */
import type { Objective } from './objective.js';

export class RegressionObjective implements Objective {
  readonly name = 'regression' as const;
  readonly objectiveLine = 'regression';

  constructor(
    private readonly label: Float64Array,
    private readonly weight: Float64Array | undefined,
  ) {}

  gradients(scores: Float64Array, grad: Float64Array, hess: Float64Array): void {
    const { label, weight } = this;
    for (let i = 0; i < label.length; i++) {
      const w = weight === undefined ? 1 : weight[i];
      grad[i] = (scores[i] - label[i]) * w;
      hess[i] = w;
    }
  }

  /** The weighted mean label. */
  initScore(): number {
    const { label, weight } = this;
    let sum = 0;
    let total = 0;
    for (let i = 0; i < label.length; i++) {
      const w = weight === undefined ? 1 : weight[i];
      sum += label[i] * w;
      total += w;
    }
    return total > 0 ? sum / total : 0;
  }
}
