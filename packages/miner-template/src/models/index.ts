/**
 * Models: the base interface, the tree model served through onnxruntime-node, the three scorers
 * and the ScoringService the API serves.
 */

import { availableParallelism } from 'node:os';
import type { ScoringService } from '../api/scoring-service.js';
import type { ServerConfig } from '../config/schema.js';
import type { ModelName } from '../schemas/api.js';
import { assertNoLoadFailures, type LoadModelsOptions, loadModels } from './model-loader.js';
import { ModelScoringService } from './scoring-service.js';
import { WorkerScoringService } from './worker-scoring-service.js';

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
export { type WorkerPoolOptions, WorkerScoringService } from './worker-scoring-service.js';

/** Scoring workers when the configuration names none: one per core, at most 4 (memory, docs/operations.md). */
export function defaultWorkers(): number {
  return Math.min(availableParallelism(), 4);
}

/** A served service: the ScoringService plus why a model is not loaded, for the start-up warnings. */
export type ServedScoringService = ScoringService & {
  readonly problems: Partial<Record<ModelName, string>>;
};

/**
 * The serve command's factory: loads the models the configuration points at, in a pool of
 * `config.workers` scoring threads (0: on the main thread), and refuses
 * (AML_ERR_MODEL_LOAD_FAILED) when a model file is present but unusable.
 */
export async function createModelScoringService(config: ServerConfig): Promise<ServedScoringService> {
  const load: LoadModelsOptions = {
    modelsDir: config.modelsDir,
    threads: config.threads,
    paths: {
      ...(config.alertScorerPath ? { alert_scorer: config.alertScorerPath } : {}),
      ...(config.alertRankerPath ? { alert_ranker: config.alertRankerPath } : {}),
      ...(config.clusterScorerPath ? { cluster_scorer: config.clusterScorerPath } : {}),
    },
  };
  const workers = config.workers ?? defaultWorkers();
  if (workers > 0) return WorkerScoringService.create({ load, workers });
  const models = await loadModels(load);
  const service = new ModelScoringService(models);
  if (models.failures.length > 0) {
    await service.close();
    assertNoLoadFailures(models);
  }
  return service;
}
