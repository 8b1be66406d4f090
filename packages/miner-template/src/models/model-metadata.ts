/**
 * trained_models/model_metadata.json (docs/api.md): one entry per model, describing how it was trained
 * and how well it did. Also records the feature-builder options the model was trained with, so
 * serving builds exactly the columns the model declares.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { amlError, ERRORS } from '../errors.js';
import { MODEL_NAMES, type ModelName } from '../schemas/api.js';

export const ModelMetadataEntrySchema = z.object({
  model_type: z.enum(MODEL_NAMES),
  model_version: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, 'expected a semantic version'),
  trained_at: z.string(),
  algorithm: z.string(),
  objective: z.string().optional(),
  hyperparameters: z.record(z.string(), z.unknown()),
  training_data: z.object({
    num_samples: z.number().int().nonnegative(),
    num_positive: z.number().int().nonnegative(),
    num_negative: z.number().int().nonnegative(),
    num_features: z.number().int().nonnegative(),
    feature_names: z.array(z.string()),
    data_hash: z.string(),
    batches: z.array(z.string()).optional(),
    num_queries: z.number().int().nonnegative().optional(),
  }),
  performance: z.record(z.string(), z.number().nullable()),
  feature_importance: z.array(z.object({ feature: z.string(), gain: z.number(), split: z.number().int() })),
  feature_options: z
    .object({
      extra_feature_columns: z.array(z.string()).optional(),
      member_feature_columns: z.array(z.string()).optional(),
    })
    .default({}),
  files: z.object({ text: z.string(), onnx: z.string().optional() }).optional(),
});
export type ModelMetadataEntry = z.infer<typeof ModelMetadataEntrySchema>;

export const ModelMetadataFileSchema = z.partialRecord(z.enum(MODEL_NAMES), ModelMetadataEntrySchema);
export type ModelMetadataFile = z.infer<typeof ModelMetadataFileSchema>;

export async function readModelMetadata(path: string): Promise<ModelMetadataFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_GBDT_MODEL_FORMAT, [`${path} is not valid JSON`], undefined, err);
  }
  const parsed = ModelMetadataFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw amlError(
      ERRORS.AML_ERR_GBDT_MODEL_FORMAT,
      [`${path}: ${issue.path.join('.')}: ${issue.message}`],
      parsed.error.issues,
    );
  }
  return parsed.data;
}

export function metadataFor(file: ModelMetadataFile, name: ModelName): ModelMetadataEntry | undefined {
  return file[name];
}
