/**
 * Trains one of the three models end to end: training set from labelled batches, feature
 * selection, a stratified hold-out test split, optional k-fold cross-validation, a final model
 * with early stopping on a validation slice, held-out metrics, importance and metadata.
 * Deterministic for a given seed.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_MEMBER_FEATURE_COLUMNS } from '../features/cluster-features.js';
import { selectFeatures } from '../features/feature-selector.js';
import { type IterationInfo, train } from '../gbdt/boosting/gbdt.js';
import type { TrainData } from '../gbdt/dataset/train-data.js';
import type { GbdtModel } from '../gbdt/model.js';
import type { GbdtParamsInput } from '../gbdt/params.js';
import type { ModelMetadataEntry } from '../models/model-metadata.js';
import type { ModelName } from '../schemas/api.js';
import { DEFAULT_PARAMS } from './defaults.js';
import { evaluateModel, type Metrics } from './evaluate.js';
import { featureImportance } from './importance.js';
import { foldSplit, stratifiedFolds, stratifiedSplit } from './split.js';
import {
  buildTrainingSet,
  type LabelledBatch,
  subsetRows,
  type TrainingSet,
  type TrainingSetOptions,
} from './training-set.js';

export type TrainProgress =
  | { stage: 'features'; rows: number; columns: number }
  | { stage: 'selection'; kept: number; dropped: number }
  | { stage: 'fold'; fold: number; folds: number; metrics: Metrics }
  | { stage: 'iteration'; phase: string; info: IterationInfo; total: number }
  | { stage: 'done'; metrics: Metrics };

export interface TrainModelOptions {
  task: ModelName;
  batches: readonly LabelledBatch[];
  version: string;
  params?: GbdtParamsInput;
  /** k for k-fold cross-validation on the training part; 0 or 1 skips it. */
  folds?: number;
  testFraction?: number;
  validFraction?: number;
  seed?: number;
  /** Drop constant, all-missing and near-duplicate columns before training (default true). */
  featureSelection?: boolean;
  onProgress?: (event: TrainProgress) => void;
}

export interface TrainModelResult {
  model: GbdtModel;
  metadata: ModelMetadataEntry;
  metrics: Metrics;
  cv?: { mean: Metrics; folds: Metrics[] };
  /** The held-out test rows the metrics come from (for the quality report). */
  heldOut: TrainingSet;
}

/**
 * The builder options a model is trained with. Alert models read the upstream table's columns
 * only (the builder's default): a column that one producer invents is one the next producer lacks,
 * and a model that needs it fails there. `extraFeatureColumns` opts extra batch columns in.
 */
export function featureOptionsFor(
  task: ModelName,
  _batches: readonly LabelledBatch[],
  extraFeatureColumns: readonly string[] = [],
): TrainingSetOptions {
  if (task === 'cluster_scorer')
    return { cluster: { memberFeatureColumns: [...DEFAULT_MEMBER_FEATURE_COLUMNS] } };
  return { alert: { extraFeatureColumns: [...extraFeatureColumns] } };
}

export function dataHash(set: TrainingSet): string {
  const h = createHash('sha256');
  h.update(set.names.join('\n'));
  h.update(new Uint8Array(set.values.buffer, set.values.byteOffset, set.values.byteLength));
  h.update(new Uint8Array(set.label.buffer, set.label.byteOffset, set.label.byteLength));
  return h.digest('hex');
}

function fit(
  set: TrainingSet,
  params: GbdtParamsInput,
  validFraction: number,
  seed: number,
  onIteration?: (i: IterationInfo) => void,
) {
  const { train: trainIdx, test: validIdx } = stratifiedSplit(
    set.label,
    set.batchIndex,
    validFraction,
    seed + 1,
  );
  return train(asTrainData(subsetRows(set, trainIdx)), params, {
    valid: asTrainData(subsetRows(set, validIdx)),
    onIteration,
  });
}

/** A training set in the shape the GBDT trainer takes. */
export function asTrainData(s: TrainingSet): TrainData {
  return {
    features: s.values,
    numRows: s.numRows,
    featureNames: s.names,
    label: s.label,
    weight: s.weight,
    ...(s.group ? { group: s.group } : {}),
  };
}

/**
 * The training set of a model with the builder options it was built with, after feature
 * selection (constant, all-missing and near-duplicate columns dropped) unless turned off. Shared
 * by `train` and `tune`, so a tuned model sees exactly the columns the trained one will.
 */
export function selectedTrainingSet(
  task: ModelName,
  batches: readonly LabelledBatch[],
  featureSelection = true,
): { set: TrainingSet; featureOptions: TrainingSetOptions; dropped: number } {
  const featureOptions = featureOptionsFor(task, batches);
  const set = buildTrainingSet(task, batches, featureOptions);
  if (!featureSelection) return { set, featureOptions, dropped: 0 };
  const selection = selectFeatures({
    matrix: { names: set.names, values: set.values, numRows: set.numRows, rowIds: set.rowIds },
    label: set.label,
  });
  const all = Int32Array.from({ length: set.numRows }, (_, i) => i);
  return { set: subsetRows(set, all, selection.kept), featureOptions, dropped: selection.dropped.length };
}

function meanMetrics(all: Metrics[]): Metrics {
  const out: Metrics = {};
  for (const key of Object.keys(all[0] ?? {})) {
    const xs = all.map((m) => m[key]).filter((x): x is number => x !== null && x !== undefined);
    out[key] = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  }
  return out;
}

export function trainModel(options: TrainModelOptions): TrainModelResult {
  const { task, batches, version } = options;
  const seed = options.seed ?? 42;
  const params: GbdtParamsInput = { ...DEFAULT_PARAMS[task], seed, ...options.params };
  const validFraction = options.validFraction ?? 0.15;
  const progress = options.onProgress ?? (() => {});
  const total = Number(params.num_iterations ?? 100);

  const { set, featureOptions, dropped } = selectedTrainingSet(
    task,
    batches,
    options.featureSelection !== false,
  );
  progress({ stage: 'features', rows: set.numRows, columns: set.names.length + dropped });
  if (options.featureSelection !== false) progress({ stage: 'selection', kept: set.names.length, dropped });

  const { train: trainIdx, test: testIdx } = stratifiedSplit(
    set.label,
    set.batchIndex,
    options.testFraction ?? 0.2,
    seed,
  );
  const trainSet = subsetRows(set, trainIdx);
  const testSet = subsetRows(set, testIdx);

  let cv: TrainModelResult['cv'];
  const folds = options.folds ?? 0;
  if (folds >= 2) {
    const assignment = stratifiedFolds(trainSet.label, trainSet.batchIndex, folds, seed);
    const foldMetrics: Metrics[] = [];
    for (let f = 0; f < folds; f++) {
      const split = foldSplit(assignment, f);
      const { model } = fit(subsetRows(trainSet, split.train), params, validFraction, seed + 10 + f, (info) =>
        progress({ stage: 'iteration', phase: `fold ${f + 1}/${folds}`, info, total }),
      );
      const m = evaluateModel(model, subsetRows(trainSet, split.test));
      foldMetrics.push(m);
      progress({ stage: 'fold', fold: f + 1, folds, metrics: m });
    }
    cv = { mean: meanMetrics(foldMetrics), folds: foldMetrics };
  }

  const result = fit(trainSet, params, validFraction, seed, (info) =>
    progress({ stage: 'iteration', phase: 'final', info, total }),
  );
  const metrics = evaluateModel(result.model, testSet);
  progress({ stage: 'done', metrics });

  const positives = set.label.reduce((n, y) => n + (y > (task === 'alert_ranker' ? 1 : 0) ? 1 : 0), 0);
  const metadata: ModelMetadataEntry = {
    model_type: task,
    model_version: version,
    trained_at: new Date().toISOString(),
    algorithm: 'gbdt (LightGBM-compatible, @aml/miner-template)',
    objective: result.model.objective,
    hyperparameters: { ...params, best_iteration: result.bestIteration },
    training_data: {
      num_samples: set.numRows,
      num_positive: positives,
      num_negative: set.numRows - positives,
      num_features: set.names.length,
      feature_names: set.names,
      data_hash: dataHash(set),
      batches: batches.map(
        ({ batch: b }) => `${b.key.network}/${b.key.processing_date}/${b.key.window_days}`,
      ),
      ...(set.group ? { num_queries: set.group.length } : {}),
    },
    performance: {
      ...metrics,
      ...(cv ? Object.fromEntries(Object.entries(cv.mean).map(([k, v]) => [`cv_${k}`, v])) : {}),
    },
    feature_importance: featureImportance(result.model),
    feature_options: {
      ...(featureOptions.alert?.extraFeatureColumns
        ? { extra_feature_columns: [...featureOptions.alert.extraFeatureColumns] }
        : {}),
      ...(featureOptions.cluster?.memberFeatureColumns
        ? { member_feature_columns: [...featureOptions.cluster.memberFeatureColumns] }
        : {}),
    },
  };
  return { model: result.model, metadata, metrics, heldOut: testSet, ...(cv ? { cv } : {}) };
}
