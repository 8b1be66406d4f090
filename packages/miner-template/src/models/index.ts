/**
 * Models: the base interface, the tree model served through onnxruntime-node, the three scorers
 * and the ScoringService the API serves.
 */
import { assertNoLoadFailures, type LoadModelsOptions, loadModels } from './model-loader.js';
import { ModelScoringService } from './model-scoring-service.js';
import type { ScoringService } from './scoring-service.js';

export { AlertRanker } from './alert-ranker.js';
export { AlertScorer } from './alert-scorer.js';
export { ClusterScorer } from './cluster-scorer.js';
export { DEFAULT_TOP_FEATURES, explanationJson } from './explanation.js';
export type { BaseModel, FeatureContribution, RowExplanation, ScoreOptions } from './model-contract.js';
export { findModelFiles, type ModelFiles, modelFileStem } from './model-files.js';
export {
  assertNoLoadFailures,
  type LoadedModels,
  type LoadModelsOptions,
  loadModels,
  METADATA_FILE,
  type ModelLoadFailure,
} from './model-loader.js';
export {
  type ModelMetadataEntry,
  ModelMetadataEntrySchema,
  type ModelMetadataFile,
  ModelMetadataFileSchema,
  readModelMetadata,
} from './model-metadata.js';
export { ModelScoringService } from './model-scoring-service.js';
export type {
  DeferredArrowField,
  DeferredBody,
  DeferredOutcome,
  DeferredStream,
  DeferredTask,
  ModelFlags,
  ModelVersions,
  ScoringService,
  StreamFormat,
} from './scoring-service.js';
export { TreeModel, type TreeModelOptions } from './tree-model.js';

/** What the factory reads; the server's configuration (config/schema.ts) is one. */
export interface ModelServiceConfig {
  modelsDir: string;
  threads?: number;
  alertScorerPath?: string;
  alertRankerPath?: string;
  clusterScorerPath?: string;
}

/** Where the configuration's models are, as loadModels takes it. */
export function modelLoadOptions(config: ModelServiceConfig): LoadModelsOptions {
  return {
    modelsDir: config.modelsDir,
    threads: config.threads,
    paths: {
      ...(config.alertScorerPath ? { alert_scorer: config.alertScorerPath } : {}),
      ...(config.alertRankerPath ? { alert_ranker: config.alertRankerPath } : {}),
      ...(config.clusterScorerPath ? { cluster_scorer: config.clusterScorerPath } : {}),
    },
  };
}

/**
 * The models the configuration points at, scored on the calling thread; refuses
 * (AML_ERR_MODEL_LOAD_FAILED) when a model file is present but unusable. The server's pool of
 * scoring threads is built on top of this in api/scoring-pool.
 */
export async function createModelScoringService(
  config: ModelServiceConfig,
): Promise<ScoringService & ModelScoringService> {
  const models = await loadModels(modelLoadOptions(config));
  const service = new ModelScoringService(models);
  if (models.failures.length > 0) {
    await service.close();
    assertNoLoadFailures(models);
  }
  return service;
}
