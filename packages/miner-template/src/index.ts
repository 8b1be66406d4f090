/**
 * Public surface of @aml/miner-template for ML developers: the wire contract, loading batches,
 * building features, the models and the service that serves them, training and evaluation, and
 * the server. Re-exports only, each name chosen; everything else is a layer's own entry point
 * (`@aml/miner-template/gbdt`, `/validation`, `/foreign`, `/cli`, ... — docs/architecture.md).
 */

// Serving: the configuration and the Fastify server.
export { type CreateServerOptions, createServer } from './api/index.js';
export { defaultConfig, loadConfig, type ServerConfig } from './config/index.js';

// Data: batch folders, labels, downloads, integrity.
export {
  type AddressLabels,
  assertBatchIntegrity,
  type Batch,
  checkBatchIntegrity,
  dateRange,
  downloadBatches,
  type FeatureTable,
  featureRowsToTable,
  featureTableToRows,
  type IntegrityIssue,
  readBatch,
  readBatchFolder,
  readBatchMeta,
  readLabels,
  writeBatchFolder,
  writeLabels,
} from './data/index.js';
// Errors: the one table and how to tell its codes apart.
export {
  AmlError,
  type AmlErrorCode,
  type AmlErrorDefinition,
  amlError,
  ERRORS,
  hasErrorCode,
  isAmlError,
} from './errors.js';

// Features: batch → float32 matrices, and which columns to keep.
export {
  type AlertFeatureOptions,
  alertFeatureNames,
  buildAlertFeatures,
  buildClusterFeatures,
  buildFeatures,
  type ClusterFeatureOptions,
  clusterFeatureNames,
  type FeatureCoverage,
  type FeatureMatrix,
  featureCoverage,
  selectFeatures,
} from './features/index.js';

// Models: the interface, the tree model, the three scorers and the ScoringService contract.
export {
  AlertRanker,
  AlertScorer,
  type BaseModel,
  ClusterScorer,
  createModelScoringService,
  type FeatureContribution,
  findModelFiles,
  type LoadedModels,
  loadModels,
  type ModelMetadataEntry,
  ModelScoringService,
  type ModelServiceConfig,
  type RowExplanation,
  readModelMetadata,
  type ScoreOptions,
  type ScoringService,
  TreeModel,
} from './models/index.js';
// The contract: every wire type's zod schema and the type derived from it.
export * from './schemas/index.js';
// A generated batch to try things on.
export { type GeneratedBatch, type GenerateOptions, generateBatch } from './synthetic/index.js';
// Checking a model the way the validator will.
export {
  type SubmissionOptions,
  type SubmissionReport,
  validateSubmission,
} from './tiers/index.js';
// Training and evaluation.
export {
  alertTruth,
  buildTrainingSet,
  clusterTruth,
  DEFAULT_PARAMS,
  evaluateModel,
  evaluateOnBatches,
  type FeatureImportance,
  featureImportance,
  type LabelledBatch,
  loadLabelledBatches,
  type Metrics,
  stratifiedSplit,
  type TrainingSet,
  type TrainModelOptions,
  type TrainModelResult,
  trainClusterScorer,
  trainModel,
  trainRanker,
  trainScorer,
  type WrittenModel,
  writeModelArtifacts,
} from './training/index.js';
