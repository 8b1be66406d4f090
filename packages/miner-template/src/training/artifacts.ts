/**
 * Writes a trained model where the server finds it (docs/api.md): `{name}_v{version}.txt` (LightGBM
 * text), `{name}_v{version}.onnx` beside it, and the model's entry in model_metadata.json. Each file
 * is written atomically, the metadata last, so a crash never leaves metadata naming a missing model.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../data/fs-atomic.js';
import type { GbdtModel } from '../gbdt/model.js';
import { exportOnnx } from '../gbdt/onnx/index.js';
import { writeModelText } from '../gbdt/text/index.js';
import { modelFileStem } from '../models/model-files.js';
import { METADATA_FILE } from '../models/model-loader.js';
import { type ModelMetadataEntry, readModelMetadata } from '../models/model-metadata.js';

export interface WrittenModel {
  textPath: string;
  onnxPath: string;
  metadataPath: string;
}

export async function writeModelArtifacts(
  dir: string,
  model: GbdtModel,
  metadata: ModelMetadataEntry,
): Promise<WrittenModel> {
  await mkdir(dir, { recursive: true });
  const stem = join(dir, modelFileStem(metadata.model_type, metadata.model_version));
  const textPath = `${stem}.txt`;
  const onnxPath = `${stem}.onnx`;
  await writeFileAtomic(textPath, writeModelText(model));
  await writeFileAtomic(onnxPath, exportOnnx(model, { modelVersion: metadata.model_version }));
  const metadataPath = join(dir, METADATA_FILE);
  const all = await readModelMetadata(metadataPath);
  const stemName = modelFileStem(metadata.model_type, metadata.model_version);
  all[metadata.model_type] = { ...metadata, files: { text: `${stemName}.txt`, onnx: `${stemName}.onnx` } };
  await writeFileAtomic(metadataPath, `${JSON.stringify(all, null, 2)}\n`);
  return { textPath, onnxPath, metadataPath };
}
