/**
 * `aml-miner gbdt predict` and `aml-miner gbdt export-onnx`. predict scores a CSV/Parquet table
 * with a LightGBM text model (our predictor) or an ONNX model (onnxruntime), matching columns to
 * the model's feature names by header; export-onnx converts a text model. Output: one value per
 * line with 17 significant digits, as LightGBM's task=predict writes them; with --contrib, one
 * tab-separated line of TreeSHAP contributions per row in LightGBM's predict_contrib layout.
 * predict streams: it reads a chunk of rows (a CSV's next rows, a Parquet row group), scores it
 * and appends its lines, so memory is bounded by a chunk, as LightGBM's; the output goes to a
 * temp file renamed at the end, so a failure half-way leaves no partial predictions file.
 */
import { type FileHandle, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tempPathFor } from '../../data/fs-atomic.js';
import { amlError, ERRORS } from '../../errors.js';
import { type NumericTable, readTableChunks, toFeatureMatrix } from '../../gbdt/io/table-reader.js';
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

/** Scores one chunk of rows: the chunk's output lines, each ending in a line break. */
type ChunkScorer = (table: NumericTable) => Promise<string>;

/** One value per line, 17 significant digits. */
function valueLines(values: Float64Array): string {
  let text = '';
  for (let i = 0; i < values.length; i++) text += `${formatDouble17(values[i] as number)}\n`;
  return text;
}

async function onnxScorer(o: PredictCliOptions): Promise<ChunkScorer> {
  let file: Buffer;
  try {
    file = await readFile(o.model);
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [o.model], undefined, err);
  }
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  const info = await onnxInfo(bytes, o.model);
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes);
  const optional = unusedFeatures(info.featureNames, info.featureInfos);
  return async (table) => {
    const matrix = toFeatureMatrix(table, info.featureNames, {
      skipColumns: skipColumns(o),
      optionalFeatures: optional,
    });
    if (table.numRows === 0) return '';
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
      return valueLines(out);
    }
    const variable = result.variable?.data as Float32Array | undefined;
    if (variable === undefined)
      throw amlError(ERRORS.AML_ERR_GBDT_MODEL_FORMAT, [
        `${o.model}: no "variable" or "probabilities" output`,
      ]);
    out.set(variable);
    return valueLines(out);
  };
}

/**
 * LightGBM's predict_contrib text: per row, one raw-score contribution per model feature (unused
 * ones included, always 0) and then the expected value, tab-separated, 17 significant digits. The
 * columns sum to the row's raw score. Our models have one class; LightGBM repeats the block per
 * class for multiclass, which this layout would extend to.
 */
async function contribScorer(model: GbdtModel, o: PredictCliOptions): Promise<ChunkScorer> {
  // TreeSHAP (and its worker pool) loads only for --contrib
  const { explainBatchFast } = await import('../../gbdt/shap/index.js');
  const width = model.maxFeatureIdx + 1;
  const cells = new Array<string>(width + 1);
  return async (table) => {
    const matrix = textModelMatrix(model, table, o);
    if (table.numRows === 0) return '';
    const { contributions, expectedValue } = explainBatchFast(model, matrix, table.numRows);
    cells[width] = formatDouble17(expectedValue);
    let text = '';
    for (let r = 0; r < table.numRows; r++) {
      for (let j = 0; j < width; j++) cells[j] = formatDouble17(contributions[r * width + j] as number);
      text += `${cells.join('\t')}\n`;
    }
    return text;
  };
}

async function textScorer(o: PredictCliOptions): Promise<ChunkScorer> {
  const model = readModelText(await readText(o.model));
  if (o.contrib === true) return contribScorer(model, o);
  return async (table) => valueLines(scoreTextModel(model, table, o));
}

/** Writes the chunks' text to a temp file beside `path`, renamed to `path` once all are written. */
async function writeChunks(path: string, chunks: AsyncIterable<string>): Promise<void> {
  const temp = tempPathFor(path);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'w');
    for await (const text of chunks) if (text.length > 0) await handle.write(text);
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (err) {
    await handle?.close();
    await rm(temp, { force: true });
    throw (err as NodeJS.ErrnoException).path === temp ? Object.assign(err as object, { path }) : err;
  }
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
  const score = isOnnx ? await onnxScorer(o) : await textScorer(o);
  async function* scored(): AsyncGenerator<string> {
    for await (const table of readTableChunks(o.data)) yield await score(table);
  }
  await writeChunks(o.out, scored());
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
