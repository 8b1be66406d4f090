/**
 * Reads one served model from a models directory the way `serve` finds it (the highest
 * `{name}_v{semver}.txt`, model_metadata.json beside it), as the GBDT trees rather than an ONNX
 * session: evaluation and export need the feature names and a deterministic in-process predictor,
 * not the serving runtime.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { amlError, ERRORS } from '../errors.js';
import type { GbdtModel } from '../gbdt/model.js';
import { readModelText } from '../gbdt/text/index.js';
import { findModelFiles } from '../models/model-files.js';
import { METADATA_FILE } from '../models/model-loader.js';
import { metadataFor, readModelMetadata } from '../models/model-metadata.js';
import type { ModelName } from '../schemas/api.js';
import type { ModelUnderTest } from './generalization.js';

export interface ServedModel extends Omit<ModelUnderTest, 'meta'> {
  version: string;
  file: string;
  meta: ModelUnderTest['meta'] | undefined;
}

/** The model, or undefined when the directory has no text model for it. */
export async function readServedModel(modelsDir: string, task: ModelName): Promise<ServedModel | undefined> {
  const files = await findModelFiles(modelsDir, task);
  if (!files) return undefined;
  let text: string;
  try {
    text = await readFile(files.textPath, 'utf8');
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [files.textPath], undefined, err);
  }
  const model: GbdtModel = readModelText(text);
  const meta = metadataFor(await readModelMetadata(join(modelsDir, METADATA_FILE)), task);
  return { task, model, meta, version: files.version, file: files.textPath };
}
