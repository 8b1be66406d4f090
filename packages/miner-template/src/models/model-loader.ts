/**
 * Loads the three served models from a models directory (or explicit paths), each with its
 * metadata. Two outcomes are kept apart because they call for different responses: a model with
 * no file at all is `problems` only (the server starts degraded and warns), while a file that is
 * present but unusable is also a `failure`, which `serve` refuses to start with (docs/operations.md)
 * so a miner never runs for hours answering 503 without knowing why.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { amlError, ERRORS, isAmlError } from '../errors.js';
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
  /** TreeSHAP threads per model (TreeModelOptions.shapThreads). */
  shapThreads?: number;
}

export interface LoadedModels {
  alertScorer?: AlertScorer;
  alertRanker?: AlertRanker;
  clusterScorer?: ClusterScorer;
  /** Why a model is not loaded (absent, unreadable, feature contract broken). */
  problems: Partial<Record<ModelName, string>>;
  /** Models whose file is present but cannot be served: the file and the reason. */
  failures: ModelLoadFailure[];
}

export interface ModelLoadFailure {
  name: ModelName;
  file: string;
  reason: string;
}

/** Throws AML_ERR_MODEL_LOAD_FAILED naming each present-but-unusable model file, if any. */
export function assertNoLoadFailures(loaded: LoadedModels): void {
  if (loaded.failures.length === 0) return;
  const text = loaded.failures.map((f) => `${f.file}: ${f.reason}`).join('; ');
  throw amlError(ERRORS.AML_ERR_MODEL_LOAD_FAILED, [text], loaded.failures);
}

/** Releases every loaded model's ONNX session and TreeSHAP workers. */
export async function closeModels(loaded: Omit<LoadedModels, 'problems' | 'failures'>): Promise<void> {
  await Promise.all([
    loaded.alertScorer?.model.close(),
    loaded.alertRanker?.model.close(),
    loaded.clusterScorer?.model.close(),
  ]);
}

async function locate(options: LoadModelsOptions, name: ModelName): Promise<ModelFiles | undefined> {
  const override = options.paths?.[name];
  return override ? modelFilesFromPath(name, override) : findModelFiles(options.modelsDir, name);
}

/** A feature mismatch can name a hundred columns; five and a count keep the error one readable line. */
function shortenColumnList(reason: string): string {
  return reason.replace(
    /(cannot produce \d+ column\(s\): )([^()]+?)(?=$| \()/,
    (_, head: string, list: string) => {
      const names = list.split(', ');
      return names.length <= 5
        ? head + list
        : `${head}${names.slice(0, 5).join(', ')}, … (${names.length - 5} more)`;
    },
  );
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function loadModels(options: LoadModelsOptions): Promise<LoadedModels> {
  const metadata = await readModelMetadata(join(options.modelsDir, METADATA_FILE));
  const loaded: LoadedModels = { problems: {}, failures: [] };

  async function load<T>(name: ModelName, wrap: (model: TreeModel) => T): Promise<T | undefined> {
    const files = await locate(options, name);
    if (!files) {
      const dirMissing = !(await isDirectory(options.modelsDir));
      loaded.problems[name] =
        `no ${name}_v<version>.txt in ${options.modelsDir}${dirMissing ? ' (the folder does not exist)' : ''}`;
      return undefined;
    }
    let model: TreeModel | undefined;
    try {
      model = await TreeModel.load(files, { threads: options.threads, shapThreads: options.shapThreads });
      return wrap(model);
    } catch (err) {
      await model?.close();
      let reason = shortenColumnList(err instanceof Error ? err.message : String(err));
      // The usual cause of a feature mismatch on a model we trained is a model_metadata.json
      // without its entry (the entry carries the extra feature columns): say so.
      if (metadataFor(metadata, name) === undefined && /feature mismatch/.test(reason))
        reason += ` (${METADATA_FILE} in ${options.modelsDir} has no ${name} entry)`;
      loaded.problems[name] = reason;
      // Name the file at fault: our own errors (AmlError) come from the text model or its feature
      // contract, onnxruntime's from the .onnx; an .onnx with no .txt beside it is the one there.
      const onnxAtFault = files.onnxPath && (!isAmlError(err) || !(await exists(files.textPath)));
      const file = onnxAtFault && files.onnxPath ? files.onnxPath : files.textPath;
      loaded.failures.push({ name, file, reason });
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
