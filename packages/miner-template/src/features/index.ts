/** Public surface of the feature builders and selectors. Re-exports only. */

export {
  addressFeatureColumns,
  listExtraFeatureColumns,
} from './address-features.js';
export { alertFeatureNames, buildAlertFeatures } from './alert-features.js';
export { buildFeatures } from './build-features.js';
export {
  buildClusterFeatures,
  clusterFeatureNames,
  DEFAULT_MEMBER_FEATURE_COLUMNS,
} from './cluster-features.js';
export {
  COVERAGE_WARNING_THRESHOLD,
  columnSources,
  type FeatureCoverage,
  featureCoverage,
} from './coverage.js';
export type { DropReason, SelectFeaturesInput, SelectFeaturesResult } from './feature-selector.js';
export { selectFeatures } from './feature-selector.js';
export { matrixColumn } from './matrix.js';
export { assertFeatureContract, selectColumns } from './select-columns.js';
export type { AlertFeatureOptions, ClusterFeatureOptions, FeatureMatrix } from './types.js';
export {
  ADDRESS_TYPE_VOCABULARY,
  addressTypeSlot,
  severityOrdinal,
  signedLog1p,
  TYPOLOGY_VOCABULARY,
  typologySlot,
} from './vocabulary.js';
