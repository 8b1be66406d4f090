/** One entry point for both matrices: alerts (scorer and ranker) or clusters (cluster scorer). */
import type { Batch } from '../data/batch.js';
import { buildAlertFeatures } from './alert-features.js';
import { buildClusterFeatures } from './cluster-features.js';
import type { AlertFeatureOptions, ClusterFeatureOptions, FeatureMatrix } from './types.js';

export function buildFeatures(batch: Batch, kind: 'alerts', options?: AlertFeatureOptions): FeatureMatrix;
export function buildFeatures(batch: Batch, kind: 'clusters', options?: ClusterFeatureOptions): FeatureMatrix;
export function buildFeatures(batch: Batch): FeatureMatrix;
export function buildFeatures(
  batch: Batch,
  kind: 'alerts' | 'clusters' = 'alerts',
  options: AlertFeatureOptions | ClusterFeatureOptions = {},
): FeatureMatrix {
  return kind === 'clusters'
    ? buildClusterFeatures(batch, options as ClusterFeatureOptions)
    : buildAlertFeatures(batch, options as AlertFeatureOptions);
}
