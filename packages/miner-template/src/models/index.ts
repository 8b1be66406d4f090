/**
 * Models: the base interface, the tree model served through onnxruntime-node, the three scorers
 * and the ScoringService the API serves.
 */
import type { ScoringService } from '../api/scoring-service.js';
import type { ServerConfig } from '../config/schema.js';
import { assertNoLoadFailures, loadModels } from './model-loader.js';
import { ModelScoringService } from './scoring-service.js';

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
export { ModelScoringService } from './scoring-service.js';
export { TreeModel, type TreeModelOptions } from './tree-model.js';

/**
 * The serve command's factory: loads the models the configuration points at, and refuses
 * (AML_ERR_MODEL_LOAD_FAILED) when a model file is present but unusable.
 */
export async function createModelScoringService(
  config: ServerConfig,
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
