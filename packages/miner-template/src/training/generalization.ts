/**
 * Scores trained models on labelled batches from any producer, batch by batch, so a model can be
 * judged on data it never saw (our generator's held-out regimes, the foreign producer). Metrics
 * are per batch and then averaged: the validator judges one day's batch at a time, and pooling
 * batches would also reward calibration across batches, which nobody asks of a miner.
 */
import { auc, averagePrecision } from '../gbdt/metric/auc.js';
import type { GbdtModel } from '../gbdt/model.js';
import type { ModelMetadataEntry } from '../models/model-metadata.js';
import type { ModelName } from '../schemas/api.js';
import { evaluateModel, type Metrics } from './evaluate.js';
import { alertTruth } from './labels.js';
import { modelInputSet } from './model-input.js';
import type { LabelledBatch } from './training-set.js';

export interface ModelUnderTest {
  task: ModelName;
  model: GbdtModel;
  meta: ModelMetadataEntry;
}

/** Mean of each metric over the batches where it is defined (null when it never is). */
export function meanOverBatches(perBatch: readonly Metrics[]): Metrics {
  const out: Metrics = {};
  for (const key of Object.keys(perBatch[0] ?? {})) {
    const xs = perBatch.map((m) => m[key]).filter((x): x is number => typeof x === 'number');
    out[key] = xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  }
  return out;
}

/** One batch's metrics for a model, built with the feature options its metadata records. */
export function evaluateOnBatch(m: ModelUnderTest, batch: LabelledBatch): Metrics {
  return evaluateModel(m.model, modelInputSet(m.task, m.model.featureNames, m.meta, [batch]));
}

export function evaluateOnBatches(m: ModelUnderTest, batches: readonly LabelledBatch[]): Metrics {
  return meanOverBatches(batches.map((b) => evaluateOnBatch(m, b)));
}

/**
 * The upstream detector's own ranking: AUC and AP of `alert_confidence_score` against the alert
 * labels (weighted like the scorer's metrics). A missing confidence ranks lowest, as a queue
 * sorted by it would put it.
 */
export function confidenceBaseline(batch: LabelledBatch): Metrics {
  const truth = alertTruth(batch.batch, batch.labels);
  const scores: number[] = [];
  const labels: number[] = [];
  const weights: number[] = [];
  batch.batch.alerts.forEach((a, i) => {
    if (Number.isNaN(truth.binary[i])) return;
    const c = a.alert_confidence_score;
    scores.push(typeof c === 'number' && Number.isFinite(c) ? c : -1);
    labels.push(truth.binary[i]);
    weights.push(truth.weight[i]);
  });
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    auc: finite(auc(scores, labels, weights)),
    average_precision: finite(averagePrecision(scores, labels, weights)),
  };
}
