/**
 * Binary log loss with a sigmoid link (LightGBM's BinaryLogloss): labels are 0/1, the probability is
 * 1 / (1 + exp(−σ·score)). Gradients are weighted by the sample weight and by scale_pos_weight for
 * positives.
 */

import { amlError, ERRORS } from '../../errors.js';
import { K_EPSILON } from '../treelearner/leaf-math.js';
import { exactLog } from './exact-log.js';
import type { Objective } from './objective.js';

export interface BinaryOptions {
  sigmoid: number;
  scalePosWeight: number;
}

export class BinaryObjective implements Objective {
  readonly name = 'binary' as const;
  readonly objectiveLine: string;

  constructor(
    private readonly label: Float64Array,
    private readonly weight: Float64Array | undefined,
    private readonly options: BinaryOptions,
  ) {
    for (let i = 0; i < label.length; i++) {
      if (label[i] !== 0 && label[i] !== 1) {
        throw amlError(ERRORS.AML_ERR_GBDT_DATA, [
          `binary labels must be 0 or 1, got ${label[i]} at row ${i}`,
        ]);
      }
    }
    this.objectiveLine = `binary sigmoid:${options.sigmoid}`;
  }

  gradients(scores: Float64Array, grad: Float64Array, hess: Float64Array): void {
    const { label, weight } = this;
    const sigmoid = this.options.sigmoid;
    const posWeight = this.options.scalePosWeight;
    for (let i = 0; i < label.length; i++) {
      const isPos = label[i] === 1;
      const sign = isPos ? 1 : -1;
      // response = −y·σ / (1 + exp(y·σ·s)) is dLoss/ds; |response|·(σ − |response|) is d²Loss/ds².
      const response = (-sign * sigmoid) / (1 + Math.exp(sign * sigmoid * scores[i]));
      const abs = Math.abs(response);
      const w = (weight === undefined ? 1 : weight[i]) * (isPos ? posWeight : 1);
      grad[i] = response * w;
      hess[i] = abs * (sigmoid - abs) * w;
    }
  }

  initScore(): number {
    const { label, weight } = this;
    let pos = 0;
    let total = 0;
    for (let i = 0; i < label.length; i++) {
      const w = weight === undefined ? 1 : weight[i];
      pos += label[i] * w;
      total += w;
    }
    // LightGBM clamps with kEpsilon (1e-15f) and takes glibc's correctly rounded log
    const p = Math.max(K_EPSILON, Math.min(1 - K_EPSILON, pos / total));
    return exactLog(p / (1 - p)) / this.options.sigmoid;
  }
}

/** The probability for a raw score under the sigmoid link. */
export function sigmoidProbability(score: number, sigmoid = 1): number {
  return 1 / (1 + Math.exp(-sigmoid * score));
}
