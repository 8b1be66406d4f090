/**
 * Loads the three served models from a models directory (or explicit paths), each with its
 * metadata. A model that is absent or fails to load is reported, not fatal: the server then
 * answers 503 for that model's route and /health says which one is missing.
 */
import { join } from 'node:path';
import type { ModelName } from '../schemas/api.js';
import { AlertRanker } from './alert-ranker.js';
import { AlertScorer } from './alert-scorer.js';
import { ClusterScorer } from './cluster-scorer.js';
import { alertOptionsFrom, clusterOptionsFrom } from './feature-contract.js';
import { findModelFiles, type ModelFiles, modelFilesFromPath } from './model-files.js';
import { metadataFor, readModelMetadata } from './model-metadata.js';
import { TreeModel } from './tree-model.js';

export const METADATA_FILE = 'model_metadata.json';

export interface LoadModelsOptions {
  modelsDir: string;
  paths?: Partial<Record<ModelName, string>>;
  threads?: number;
}

export interface LoadedModels {
  alertScorer?: AlertScorer;
  alertRanker?: AlertRanker;
  clusterScorer?: ClusterScorer;
  /** Why a model is not loaded (absent, unreadable, feature contract broken). */
  problems: Partial<Record<ModelName, string>>;
}

async function locate(options: LoadModelsOptions, name: ModelName): Promise<ModelFiles | undefined> {
  const override = options.paths?.[name];
  return override ? modelFilesFromPath(name, override) : findModelFiles(options.modelsDir, name);
}

export async function loadModels(options: LoadModelsOptions): Promise<LoadedModels> {
  const metadata = await readModelMetadata(join(options.modelsDir, METADATA_FILE));
  const loaded: LoadedModels = { problems: {} };

  async function load<T>(name: ModelName, wrap: (model: TreeModel) => T): Promise<T | undefined> {
    const files = await locate(options, name);
    if (!files) {
      loaded.problems[name] = `no ${name}_v<version>.txt in ${options.modelsDir}`;
      return undefined;
    }
    let model: TreeModel | undefined;
    try {
      model = await TreeModel.load(files, { threads: options.threads });
      return wrap(model);
    } catch (err) {
      await model?.close();
      loaded.problems[name] = err instanceof Error ? err.message : String(err);
      return undefined;
    }
  }

  loaded.alertScorer = await load(
    'alert_scorer',
    (m) => new AlertScorer(m, alertOptionsFrom(metadataFor(metadata, 'alert_scorer'))),
  );
  loaded.alertRanker = await load(
    'alert_ranker',
    (m) => new AlertRanker(m, alertOptionsFrom(metadataFor(metadata, 'alert_ranker'))),
  );
  loaded.clusterScorer = await load(
    'cluster_scorer',
    (m) => new ClusterScorer(m, clusterOptionsFrom(metadataFor(metadata, 'cluster_scorer'))),
  );
  return loaded;
}
