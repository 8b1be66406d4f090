/**
 * Held-out evaluation of a trained model, with the metrics an AML team reads: AUC-ROC, AUC-PR
 * (average precision), log loss and precision/recall at the top of the queue for the binary
 * models; NDCG@10/@100 and precision@10 per query for the ranker.
 */

import { queryBoundaries } from '../gbdt/dataset/train-data.js';
import { auc, averagePrecision } from '../gbdt/metric/auc.js';
import { binaryLogLoss } from '../gbdt/metric/logloss.js';
import { ndcgAtK, precisionAtK, recallAtK } from '../gbdt/metric/ranking.js';
import type { GbdtModel } from '../gbdt/model.js';
import { defaultLabelGain } from '../gbdt/params.js';
import { predictBatch } from '../gbdt/predict/predict.js';
import type { TrainingSet } from './training-set.js';

export type Metrics = Record<string, number | null>;

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function evaluateModel(model: GbdtModel, set: TrainingSet): Metrics {
  const scores = predictBatch(model, set.values, set.numRows);
  if (model.objective === 'lambdarank') {
    const bounds = queryBoundaries(set.group ?? Int32Array.of(set.numRows));
    const gains = defaultLabelGain();
    const relevant = Float64Array.from(set.label, (y) => (y >= 2 ? 1 : 0));
    return {
      ndcg_at_10: finiteOrNull(ndcgAtK(scores, set.label, bounds, 10, gains)),
      ndcg_at_100: finiteOrNull(ndcgAtK(scores, set.label, bounds, 100, gains)),
      precision_at_10: finiteOrNull(precisionAtK(scores, relevant, bounds, 10)),
      auc_high_risk: finiteOrNull(auc(scores, relevant)),
      num_queries: bounds.length - 1,
      num_samples: set.numRows,
    };
  }
  const bounds = Int32Array.of(0, set.numRows);
  const k = Math.max(1, Math.round(set.numRows * 0.1));
  return {
    auc: finiteOrNull(auc(scores, set.label, set.weight)),
    average_precision: finiteOrNull(averagePrecision(scores, set.label, set.weight)),
    log_loss: finiteOrNull(binaryLogLoss(scores, set.label, set.weight)),
    precision_at_top_10pct: finiteOrNull(precisionAtK(scores, set.label, bounds, k)),
    recall_at_top_10pct: finiteOrNull(recallAtK(scores, set.label, bounds, k)),
    num_samples: set.numRows,
  };
}
