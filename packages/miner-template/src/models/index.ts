/**
 * Models: the base interface, the tree model served through onnxruntime-node, the three scorers
 * and the ScoringService the API serves.
 */
import { assertNoLoadFailures, loadModels } from './model-loader.js';
import { ModelScoringService } from './model-scoring-service.js';
import type { ScoringService } from './scoring-service.js';

export { AlertRanker } from './alert-ranker.js';
export { AlertScorer } from './alert-scorer.js';
export type { BaseModel, FeatureContribution, RowExplanation, ScoreOptions } from './base-model.js';
export { ClusterScorer } from './cluster-scorer.js';
export { DEFAULT_TOP_FEATURES, explanationJson } from './explanation.js';
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
export type { ModelFlags, ModelVersions, ScoringService } from './scoring-service.js';
export { TreeModel, type TreeModelOptions } from './tree-model.js';

/** What the factory reads; the server's configuration (config/schema.ts) is one. */
export interface ModelServiceConfig {
  modelsDir: string;
  threads?: number;
  alertScorerPath?: string;
  alertRankerPath?: string;
  clusterScorerPath?: string;
}

/**
 * The serve command's factory: loads the models the configuration points at, and refuses
 * (AML_ERR_MODEL_LOAD_FAILED) when a model file is present but unusable.
 */
export async function createModelScoringService(
  config: ModelServiceConfig,
): Promise<ScoringService & ModelScoringService> {
  const models = await loadModels({
    modelsDir: config.modelsDir,
    threads: config.threads,
    paths: {
      ...(config.alertScorerPath ? { alert_scorer: config.alertScorerPath } : {}),
      ...(config.alertRankerPath ? { alert_ranker: config.alertRankerPath } : {}),
      ...(config.clusterScorerPath ? { cluster_scorer: config.clusterScorerPath } : {}),
    },
  });
  const service = new ModelScoringService(models);
  if (models.failures.length > 0) {
    await service.close();
    assertNoLoadFailures(models);
  }
  return service;
}
