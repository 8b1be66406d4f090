/**
 * LambdaRank (LightGBM's LambdarankNDCG, src/objective/rank_objective.hpp): within each query, every
 * pair of rows with different labels whose better-ranked row is inside the truncation level pushes
 * the higher-labelled row up and the other down with a logistic pairwise gradient scaled by the
 * NDCG change of swapping them. With lambdarank_norm the pair weight is divided by the score gap
 * and the query's lambdas are normalised by log2(1 + Σλ)/Σλ, as LightGBM does.
 */
import { amlError, ERRORS } from '../../errors.js';
import { queryBoundaries } from '../dataset/train-data.js';
import { discount, gainOf, maxDcgAtK, orderByScoreDesc } from '../metric/dcg.js';
import type { Objective } from './objective.js';

export interface LambdarankOptions {
  sigmoid: number;
  labelGain: readonly number[];
  truncationLevel: number;
  norm: boolean;
}

export class LambdarankObjective implements Objective {
  readonly name = 'lambdarank' as const;
  readonly objectiveLine = 'lambdarank';
  private readonly bounds: Int32Array;
  private readonly inverseMaxDcg: Float64Array;
  private readonly gains: Float64Array;
  private readonly order: Int32Array;

  constructor(
    private readonly label: Float64Array,
    private readonly weight: Float64Array | undefined,
    group: Int32Array | undefined,
    private readonly options: LambdarankOptions,
  ) {
    if (group === undefined) throw amlError(ERRORS.AML_ERR_GBDT_DATA, ['lambdarank needs query groups']);
    this.bounds = queryBoundaries(group);
    this.gains = new Float64Array(label.length);
    try {
      for (let i = 0; i < label.length; i++) this.gains[i] = gainOf(options.labelGain, label[i]);
    } catch (err) {
      throw amlError(ERRORS.AML_ERR_GBDT_DATA, [(err as Error).message]);
    }
    const numQueries = group.length;
    this.inverseMaxDcg = new Float64Array(numQueries);
    let maxSize = 0;
    for (let q = 0; q < numQueries; q++) {
      const dcg = maxDcgAtK(
        label,
        this.bounds[q],
        this.bounds[q + 1],
        options.truncationLevel,
        options.labelGain,
      );
      this.inverseMaxDcg[q] = dcg > 0 ? 1 / dcg : 0;
      maxSize = Math.max(maxSize, group[q]);
    }
    this.order = new Int32Array(maxSize);
  }

  gradients(scores: Float64Array, grad: Float64Array, hess: Float64Array): void {
    for (let q = 0; q + 1 < this.bounds.length; q++) this.queryGradients(q, scores, grad, hess);
  }

  private queryGradients(q: number, scores: Float64Array, grad: Float64Array, hess: Float64Array): void {
    const begin = this.bounds[q];
    const end = this.bounds[q + 1];
    const { label, gains, weight } = this;
    const { sigmoid, truncationLevel, norm } = this.options;
    for (let i = begin; i < end; i++) {
      grad[i] = 0;
      hess[i] = 0;
    }
    const invMax = this.inverseMaxDcg[q];
    const order = orderByScoreDesc(scores, begin, end, this.order);
    const cnt = end - begin;
    const bestScore = scores[order[0]];
    const worstScore = scores[order[cnt - 1]];
    let sumLambdas = 0;
    for (let i = 0; i < cnt && i < truncationLevel; i++) {
      const ri = order[i];
      for (let j = i + 1; j < cnt; j++) {
        const rj = order[j];
        if (label[ri] === label[rj]) continue;
        const iHigher = label[ri] > label[rj];
        const high = iHigher ? ri : rj;
        const low = iHigher ? rj : ri;
        const deltaScore = scores[high] - scores[low];
        const dcgGap = gains[high] - gains[low];
        const pairedDiscount = Math.abs(discount(i) - discount(j));
        let deltaNdcg = dcgGap * pairedDiscount * invMax;
        if (norm && bestScore !== worstScore) deltaNdcg /= 0.01 + Math.abs(deltaScore);
        // Probability the pair is ordered wrongly under the logistic pairwise model.
        const pWrong = 1 / (1 + Math.exp(sigmoid * deltaScore));
        const lambda = -sigmoid * deltaNdcg * pWrong;
        const h = sigmoid * sigmoid * deltaNdcg * pWrong * (1 - pWrong);
        grad[high] += lambda;
        hess[high] += h;
        grad[low] -= lambda;
        hess[low] += h;
        sumLambdas -= 2 * lambda;
      }
    }
    if (norm && sumLambdas > 0) {
      const factor = Math.log2(1 + sumLambdas) / sumLambdas;
      for (let i = begin; i < end; i++) {
        grad[i] *= factor;
        hess[i] *= factor;
      }
    }
    if (weight !== undefined) {
      for (let i = begin; i < end; i++) {
        grad[i] *= weight[i];
        hess[i] *= weight[i];
      }
    }
  }

  /** LightGBM does not boost ranking from an average: scores start at 0. */
  initScore(): number {
    return 0;
  }
}
