/** Training pipelines for the three models: datasets, splits, training, evaluation, artifacts. */
export { type WrittenModel, writeModelArtifacts } from './artifacts.js';
export { DEFAULT_PARAMS } from './defaults.js';
export { evaluateModel, type Metrics } from './evaluate.js';
export {
  EXPORT_FORMATS,
  type ExportFormat,
  encodeTrainingCsv,
  encodeTrainingParquet,
  exportColumns,
} from './export.js';
export {
  confidenceBaseline,
  evaluateOnBatch,
  evaluateOnBatches,
  type ModelUnderTest,
  meanOverBatches,
} from './generalization.js';
export { type FeatureImportance, featureImportance } from './importance.js';
export { type AlertTrainingTruth, alertTruth, clusterTruth, RELEVANCE } from './labels.js';
export { type FindBatchesOptions, loadLabelledBatches } from './load-batches.js';
export { modelInputSet } from './model-input.js';
export * from './quality/index.js';
export { readServedModel, type ServedModel } from './served-model.js';
export { foldSplit, type Split, stratifiedFolds, stratifiedSplit } from './split.js';
export {
  type TrainModelOptions,
  type TrainModelResult,
  type TrainProgress,
  trainModel,
} from './train-model.js';
export { buildTrainingSet, type LabelledBatch, subsetRows, type TrainingSet } from './training-set.js';
export * from './tune/index.js';

import type { TrainModelOptions, TrainModelResult } from './train-model.js';
import { trainModel } from './train-model.js';

type TaskOptions = Omit<TrainModelOptions, 'task'>;

/** Trains the alert scorer (binary). */
export const trainScorer = (options: TaskOptions): TrainModelResult =>
  trainModel({ ...options, task: 'alert_scorer' });
/** Trains the alert ranker (lambdarank, one query group per batch). */
export const trainRanker = (options: TaskOptions): TrainModelResult =>
  trainModel({ ...options, task: 'alert_ranker' });
/** Trains the cluster scorer (binary, cluster features aggregated from member alerts). */
export const trainClusterScorer = (options: TaskOptions): TrainModelResult =>
  trainModel({ ...options, task: 'cluster_scorer' });
