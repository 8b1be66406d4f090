/**
 * `aml-miner gbdt predict` and `aml-miner gbdt export-onnx`. predict scores a CSV/Parquet table
 * with a LightGBM text model (our predictor) or an ONNX model (onnxruntime), matching columns to
 * the model's feature names by header; export-onnx converts a text model. Output: one value per
 * line with 17 significant digits, as LightGBM's task=predict writes them; with --contrib, one
 * tab-separated line of TreeSHAP contributions per row in LightGBM's predict_contrib layout.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { amlError, ERRORS } from '../../errors.js';
import { type NumericTable, readTableFile, toFeatureMatrix } from '../../gbdt/io/table-reader.js';
import type { GbdtModel } from '../../gbdt/model.js';
import { predictBatch, predictRawBatch } from '../../gbdt/predict/index.js';
import { readModelText } from '../../gbdt/text/index.js';
import { formatDouble17 } from '../../gbdt/text/number-format.js';

export interface PredictCliOptions {
  model: string;
  data: string;
  out: string;
  raw?: boolean;
  contrib?: boolean;
  labelColumn?: string;
  groupColumn?: string;
  weightColumn?: string;
}

export interface ExportCliOptions {
  model: string;
  out: string;
  modelVersion?: string;
  precision: string;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [path], undefined, err);
  }
}

function skipColumns(o: PredictCliOptions): string[] {
  return [o.labelColumn, o.groupColumn, o.weightColumn].filter((c): c is string => c !== undefined);
}

/** LightGBM's unused features (feature_infos "none") may be absent from the data. */
function unusedFeatures(names: readonly string[], infos: readonly string[]): Set<string> {
  return new Set(names.filter((_, i) => infos[i] === 'none'));
}

function textModelMatrix(model: GbdtModel, table: NumericTable, o: PredictCliOptions): Float64Array {
  return toFeatureMatrix(table, model.featureNames, {
    skipColumns: skipColumns(o),
    optionalFeatures: unusedFeatures(model.featureNames, model.featureInfos),
  });
}

function scoreTextModel(model: GbdtModel, table: NumericTable, o: PredictCliOptions): Float64Array {
  const matrix = textModelMatrix(model, table, o);
  return o.raw === true
    ? predictRawBatch(model, matrix, table.numRows)
    : predictBatch(model, matrix, table.numRows);
}

interface OnnxInfo {
  featureNames: string[];
  featureInfos: string[];
  doubleInput: boolean;
}

/** Feature names and input type from a model written by exportOnnx (metadata_props). */
async function onnxInfo(bytes: Uint8Array, path: string): Promise<OnnxInfo> {
  // the ONNX code (protobufjs) loads only for ONNX models, not for every text-model predict
  const { decodeModel } = await import('../../gbdt/onnx/onnx-proto.js');
  const decoded = decodeModel(bytes) as {
    metadataProps?: { key: string; value: string }[];
    graph?: { input?: { type?: { tensorType?: { elemType?: number } } }[] };
  };
  const meta = new Map((decoded.metadataProps ?? []).map((e) => [e.key, e.value]));
  const names = meta.get('feature_names');
  if (names === undefined) {
    throw amlError(ERRORS.AML_ERR_GBDT_MODEL_FORMAT, [`${path}: no feature_names in the ONNX metadata`]);
  }
  const featureNames = JSON.parse(names) as string[];
  const featureInfos = meta.has('feature_infos')
    ? (JSON.parse(meta.get('feature_infos') as string) as string[])
    : [];
  const doubleInput = decoded.graph?.input?.[0]?.type?.tensorType?.elemType === 11;
  return { featureNames, featureInfos, doubleInput };
}

async function scoreOnnxModel(bytes: Uint8Array, path: string, table: NumericTable, o: PredictCliOptions) {
  const info = await onnxInfo(bytes, path);
  const matrix = toFeatureMatrix(table, info.featureNames, {
    skipColumns: skipColumns(o),
    optionalFeatures: unusedFeatures(info.featureNames, info.featureInfos),
  });
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes);
  const dims = [table.numRows, info.featureNames.length];
  const input = info.doubleInput
    ? new ort.Tensor('float64', matrix, dims)
    : new ort.Tensor('float32', Float32Array.from(matrix), dims);
  const result = await session.run({ [session.inputNames[0] as string]: input });
  const out = new Float64Array(table.numRows);
  const probabilities = result.probabilities?.data as Float32Array | undefined;
  if (probabilities !== undefined) {
    for (let r = 0; r < table.numRows; r++) {
      const p = probabilities[2 * r + 1] as number;
      // the classifier only exposes probabilities: --raw inverts the sigmoid (float32 precision)
      out[r] = o.raw === true ? Math.log(p / (1 - p)) : p;
    }
    return out;
  }
  const variable = result.variable?.data as Float32Array | undefined;
  if (variable === undefined)
    throw amlError(ERRORS.AML_ERR_GBDT_MODEL_FORMAT, [`${path}: no "variable" or "probabilities" output`]);
  out.set(variable);
  return out;
}

/**
 * LightGBM's predict_contrib text: per row, one raw-score contribution per model feature (unused
 * ones included, always 0) and then the expected value, tab-separated, 17 significant digits. The
 * columns sum to the row's raw score. Our models have one class; LightGBM repeats the block per
 * class for multiclass, which this layout would extend to.
 */
async function contribLines(model: GbdtModel, table: NumericTable, o: PredictCliOptions): Promise<string[]> {
  // TreeSHAP (and its worker pool) loads only for --contrib
  const { explainBatchFast } = await import('../../gbdt/shap/index.js');
  const matrix = textModelMatrix(model, table, o);
  const width = model.maxFeatureIdx + 1;
  const { contributions, expectedValue } = explainBatchFast(model, matrix, table.numRows);
  const expected = formatDouble17(expectedValue);
  const lines = new Array<string>(table.numRows);
  const cells = new Array<string>(width + 1);
  cells[width] = expected;
  for (let r = 0; r < table.numRows; r++) {
    for (let j = 0; j < width; j++) cells[j] = formatDouble17(contributions[r * width + j] as number);
    lines[r] = cells.join('\t');
  }
  return lines;
}

async function writeLines(path: string, lines: string[]): Promise<void> {
  await writeFile(path, lines.length > 0 ? `${lines.join('\n')}\n` : '');
}

export async function runPredict(o: PredictCliOptions): Promise<void> {
  const isOnnx = /\.onnx$/i.test(o.model);
  if (o.contrib === true && (isOnnx || o.raw === true)) {
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      isOnnx
        ? '--contrib needs a LightGBM text model (ONNX models carry no cover counts for TreeSHAP)'
        : '--contrib and --raw cannot be combined (contributions are always in raw-score units)',
    ]);
  }
  const table = await readTableFile(o.data);
  if (o.contrib === true) {
    await writeLines(o.out, await contribLines(readModelText(await readText(o.model)), table, o));
    return;
  }
  let scores: Float64Array;
  if (isOnnx) {
    let bytes: Buffer;
    try {
      bytes = await readFile(o.model);
    } catch (err) {
      throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [o.model], undefined, err);
    }
    scores = await scoreOnnxModel(
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      o.model,
      table,
      o,
    );
  } else {
    scores = scoreTextModel(readModelText(await readText(o.model)), table, o);
  }
  const lines = new Array<string>(scores.length);
  for (let i = 0; i < scores.length; i++) lines[i] = formatDouble17(scores[i] as number);
  await writeLines(o.out, lines);
}

export async function runExport(o: ExportCliOptions): Promise<void> {
  if (o.precision !== 'float' && o.precision !== 'double') {
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      `--precision must be float or double, got ${o.precision}`,
    ]);
  }
  const model = readModelText(await readText(o.model));
  const { exportOnnx } = await import('../../gbdt/onnx/index.js');
  const options: Parameters<typeof exportOnnx>[1] = { precision: o.precision };
  if (o.modelVersion !== undefined) options.modelVersion = o.modelVersion;
  await writeFile(o.out, exportOnnx(model, options));
}
