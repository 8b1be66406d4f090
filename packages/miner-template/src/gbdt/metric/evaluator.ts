/**
 * Turns the `metric` parameter into an evaluator over raw scores for one data set: each ranking
 * metric expands to one entry per eval_at position (ndcg@1, ndcg@3, ...), log loss sees sigmoid
 * probabilities. Names follow LightGBM's output ("auc", "binary_logloss", "ndcg@5", "l2").
 */
import type { ObjectiveName } from '../model.js';
import type { MetricName } from '../params.js';
import { auc, averagePrecision } from './auc.js';
import { binaryLogLoss } from './logloss.js';
import { ndcgAtK, precisionAtK, recallAtK } from './ranking.js';
import { l2, rmse } from './regression.js';

export interface EvaluatorOptions {
  objective: ObjectiveName;
  sigmoid: number;
  evalAt: readonly number[];
  labelGain: readonly number[];
}

export interface EvalSet {
  label: Float64Array;
  weight?: Float64Array;
  /** Query boundaries; undefined = one query. */
  bounds?: Int32Array;
}

interface MetricEntry {
  name: string;
  higherIsBetter: boolean;
  compute(raw: Float64Array, probabilities: () => Float64Array): number;
}

export interface Evaluator {
  readonly names: readonly string[];
  readonly higherIsBetter: readonly boolean[];
  evaluate(rawScores: Float64Array): number[];
}

export function createEvaluator(
  metrics: readonly MetricName[],
  options: EvaluatorOptions,
  set: EvalSet,
): Evaluator {
  const { label, weight } = set;
  const bounds = set.bounds ?? Int32Array.of(0, label.length);
  const entries: MetricEntry[] = [];
  for (const metric of metrics) {
    switch (metric) {
      case 'auc':
        entries.push({ name: 'auc', higherIsBetter: true, compute: (raw) => auc(raw, label, weight) });
        break;
      case 'average_precision':
        entries.push({
          name: 'average_precision',
          higherIsBetter: true,
          compute: (raw) => averagePrecision(raw, label, weight),
        });
        break;
      case 'binary_logloss':
        entries.push({
          name: 'binary_logloss',
          higherIsBetter: false,
          compute: (_raw, prob) => binaryLogLoss(prob(), label, weight),
        });
        break;
      case 'l2':
        entries.push({ name: 'l2', higherIsBetter: false, compute: (raw) => l2(raw, label, weight) });
        break;
      case 'rmse':
        entries.push({ name: 'rmse', higherIsBetter: false, compute: (raw) => rmse(raw, label, weight) });
        break;
      case 'ndcg':
        for (const k of options.evalAt) {
          entries.push({
            name: `ndcg@${k}`,
            higherIsBetter: true,
            compute: (raw) => ndcgAtK(raw, label, bounds, k, options.labelGain),
          });
        }
        break;
      case 'precision':
        for (const k of options.evalAt) {
          entries.push({
            name: `precision@${k}`,
            higherIsBetter: true,
            compute: (raw) => precisionAtK(raw, label, bounds, k),
          });
        }
        break;
      case 'recall':
        for (const k of options.evalAt) {
          entries.push({
            name: `recall@${k}`,
            higherIsBetter: true,
            compute: (raw) => recallAtK(raw, label, bounds, k),
          });
        }
        break;
      default:
        break;
    }
  }
  const sigmoid = options.objective === 'binary' ? options.sigmoid : 1;
  return {
    names: entries.map((e) => e.name),
    higherIsBetter: entries.map((e) => e.higherIsBetter),
    evaluate(raw: Float64Array): number[] {
      let prob: Float64Array | undefined;
      const probabilities = () => {
        if (prob === undefined) {
          prob = new Float64Array(raw.length);
          for (let i = 0; i < raw.length; i++) prob[i] = 1 / (1 + Math.exp(-sigmoid * raw[i]));
        }
        return prob;
      };
      return entries.map((e) => e.compute(raw, probabilities));
    },
  };
}
