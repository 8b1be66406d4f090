/**
 * A model's input on labelled batches: the feature matrix in the exact column order the model
 * declares (its feature_names), built with the builder options its metadata records, plus the
 * labels and weights training uses. Evaluation, the quality report and the training-data export
 * all go through here, so what they measure or write is what the served model sees. A model
 * naming a column the builder cannot make is refused (AML_ERR_MODEL_FEATURE_MISMATCH), never
 * given a silently blank column.
 */
import { alertFeatureNames } from '../features/alert-features.js';
import { clusterFeatureNames } from '../features/cluster-features.js';
import { assertFeatureContract } from '../features/select-columns.js';
import { alertOptionsFrom, clusterOptionsFrom } from '../models/feature-contract.js';
import type { ModelMetadataEntry } from '../models/model-metadata.js';
import type { ModelName } from '../schemas/api.js';
import { buildTrainingSet, type LabelledBatch, subsetRows, type TrainingSet } from './training-set.js';

export function modelInputSet(
  task: ModelName,
  featureNames: readonly string[],
  meta: ModelMetadataEntry | undefined,
  batches: readonly LabelledBatch[],
): TrainingSet {
  let set: TrainingSet;
  if (task === 'cluster_scorer') {
    const cluster = clusterOptionsFrom(meta);
    assertFeatureContract(featureNames, clusterFeatureNames(cluster), task);
    set = buildTrainingSet(task, batches, { cluster });
  } else {
    const alert = alertOptionsFrom(meta);
    assertFeatureContract(featureNames, alertFeatureNames(alert), task);
    set = buildTrainingSet(task, batches, { alert });
  }
  const all = Int32Array.from({ length: set.numRows }, (_, i) => i);
  return subsetRows(set, all, featureNames);
}
