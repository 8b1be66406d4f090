/**
 * Ties a model to the feature builder at load time: the builder options come from the model's
 * metadata, and every column the model declares must be one the builder produces with them.
 */
import { alertFeatureNames } from '../features/alert-features.js';
import { clusterFeatureNames } from '../features/cluster-features.js';
import { assertFeatureContract } from '../features/select-columns.js';
import type { AlertFeatureOptions, ClusterFeatureOptions } from '../features/types.js';
import type { BaseModel } from './model-contract.js';
import type { ModelMetadataEntry } from './model-metadata.js';

export function alertOptionsFrom(meta: ModelMetadataEntry | undefined): AlertFeatureOptions {
  const extra = meta?.feature_options.extra_feature_columns;
  return extra ? { extraFeatureColumns: extra } : {};
}

export function clusterOptionsFrom(meta: ModelMetadataEntry | undefined): ClusterFeatureOptions {
  const members = meta?.feature_options.member_feature_columns;
  return members ? { memberFeatureColumns: members } : {};
}

export function assertAlertModelContract(model: BaseModel, options: AlertFeatureOptions): void {
  assertFeatureContract(model.featureNames, alertFeatureNames(options), model.name);
}

export function assertClusterModelContract(model: BaseModel, options: ClusterFeatureOptions): void {
  assertFeatureContract(model.featureNames, clusterFeatureNames(options), model.name);
}
