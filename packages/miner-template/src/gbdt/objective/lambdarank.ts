/**
 * LambdaRank (LightGBM's LambdarankNDCG, src/objective/rank_objective.hpp): within each query, every
 * pair of rows with different labels whose better-ranked row is inside the truncation level pushes
 * the higher-labelled row up and the other down with a logistic pairwise gradient scaled by the
 * NDCG change of swapping them. With lambdarank_norm the pair weight is divided by the score gap
 * and the query's lambdas are normalised by log2(1 + Σλ)/Σλ, as LightGBM does.
 *
 * The arithmetic follows LightGBM's so that trained trees match its own: the pairwise sigmoid is
 * read from the same 2^20-entry table over ±25/σ, the pair weight's 0.01 is the float 0.01f, and
 * each row's lambda and hessian are float32 sums of float32-rounded pair terms.
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

const SIGMOID_BINS = 1024 * 1024;
/** 0.01f widened to double, LightGBM's score-gap offset in the normalised pair weight. */
const GAP_OFFSET = Math.fround(0.01);

/** LightGBM's sigmoid lookup table: 1/(1 + exp(σ·x)) at SIGMOID_BINS points over [−25/σ, 25/σ). */
class SigmoidTable {
  private readonly table = new Float64Array(SIGMOID_BINS);
  private readonly min: number;
  private readonly max: number;
  private readonly factor: number;

  constructor(sigmoid: number) {
    this.min = -50 / sigmoid / 2;
    this.max = -this.min;
    this.factor = SIGMOID_BINS / (this.max - this.min);
    for (let i = 0; i < SIGMOID_BINS; i++) {
      this.table[i] = 1 / (1 + Math.exp((i / this.factor + this.min) * sigmoid));
    }
  }

  get(x: number): number {
    if (x <= this.min) return this.table[0] as number;
    if (x >= this.max) return this.table[SIGMOID_BINS - 1] as number;
    return this.table[Math.trunc((x - this.min) * this.factor)] as number;
  }
}

export class LambdarankObjective implements Objective {
  readonly name = 'lambdarank' as const;
  readonly objectiveLine = 'lambdarank';
  private readonly bounds: Int32Array;
  private readonly inverseMaxDcg: Float64Array;
  private readonly gains: Float64Array;
  private readonly order: Int32Array;
  private table: SigmoidTable | undefined;

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
    this.table ??= new SigmoidTable(sigmoid);
    const table = this.table;
    const f32 = Math.fround;
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
        if (norm && bestScore !== worstScore) deltaNdcg /= GAP_OFFSET + Math.abs(deltaScore);
        // Probability the pair is ordered wrongly under the logistic pairwise model.
        const pWrong = table.get(deltaScore);
        const lambda = pWrong * (-sigmoid * deltaNdcg);
        const h = pWrong * (1 - pWrong) * (sigmoid * sigmoid * deltaNdcg);
        const lambda32 = f32(lambda);
        const h32 = f32(h);
        grad[low] = f32(grad[low] - lambda32);
        hess[low] = f32(hess[low] + h32);
        grad[high] = f32(grad[high] + lambda32);
        hess[high] = f32(hess[high] + h32);
        sumLambdas -= 2 * lambda;
      }
    }
    if (norm && sumLambdas > 0) {
      const factor = Math.log2(1 + sumLambdas) / sumLambdas;
      for (let i = begin; i < end; i++) {
        grad[i] = f32(grad[i] * factor);
        hess[i] = f32(hess[i] * factor);
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
