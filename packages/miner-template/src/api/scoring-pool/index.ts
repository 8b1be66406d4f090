/**
 * The server's scoring service: the models in a pool of scoring threads (docs/api.md, "Scoring off
 * the event loop"), or on the main thread with `workers: 0`.
 */
import { availableParallelism } from 'node:os';
import { createModelScoringService, type ModelServiceConfig, modelLoadOptions } from '../../models/index.js';
import type { ScoringService } from '../../models/scoring-service.js';
import type { ModelName } from '../../schemas/api.js';
import { WorkerScoringService } from './worker-scoring-service.js';

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
 * The serve command's factory: the configuration's models in `config.workers` scoring threads (0:
 * on the main thread); refuses (AML_ERR_MODEL_LOAD_FAILED) a model file that is present but unusable.
 */
export async function createServedScoringService(
  config: ModelServiceConfig & { workers?: number },
): Promise<ServedScoringService> {
  const workers = config.workers ?? defaultWorkers();
  if (workers > 0) return WorkerScoringService.create({ load: modelLoadOptions(config), workers });
  return createModelScoringService(config);
}
