/**
 * A LightGBM-format tree ensemble served through onnxruntime-node. The text model is the source of
 * truth (trees for TreeSHAP, feature names); the ONNX file beside it is used when present and
 * exported from the text model at load otherwise. One ONNX thread by default: tree sums then run
 * in one fixed order, so the same batch gives bit-identical scores in every process. Explanations
 * use exact TreeSHAP through a ShapPool owned by the model (worker threads for large batches,
 * bit-identical to in-process), closed with the model.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { amlError, ERRORS } from '../errors.js';
import type { FeatureMatrix } from '../features/types.js';
import type { GbdtModel } from '../gbdt/model.js';
import { exportOnnx } from '../gbdt/onnx/index.js';
import { ShapPool } from '../gbdt/shap/pool.js';
import { readModelText } from '../gbdt/text/index.js';
import type { ModelName } from '../schemas/api.js';
import { DEFAULT_TOP_FEATURES, topContributions } from './explanation.js';
import type { BaseModel, RowExplanation } from './model-contract.js';
import type { ModelFiles } from './model-files.js';

/** Rows per TreeSHAP block: 8 MB of contributions at the shipped models' ~125 features. */
const EXPLAIN_BLOCK_ROWS = 8192;

export interface TreeModelOptions {
  /** onnxruntime intra-op threads; 1 (the default) keeps results bit-identical across processes. */
  threads?: number;
  /**
   * Threads for TreeSHAP on large batches (the caller plus worker threads); default
   * os.availableParallelism(), 1 = in-process. Results are bit-identical for every value.
   */
  shapThreads?: number;
}

export class TreeModel implements BaseModel {
  private constructor(
    readonly name: ModelName,
    readonly version: string,
    readonly gbdt: GbdtModel,
    private readonly session: ort.InferenceSession,
    private readonly shap: ShapPool,
  ) {}

  get featureNames(): readonly string[] {
    return this.gbdt.featureNames;
  }

  static async load(files: ModelFiles, options: TreeModelOptions = {}): Promise<TreeModel> {
    let text: string;
    try {
      text = await readFile(files.textPath, 'utf8');
    } catch (err) {
      throw amlError(
        ERRORS.AML_ERR_MODEL_NOT_LOADED,
        [`${files.name} (${files.textPath}: ${(err as Error).message})`],
        undefined,
        err,
      );
    }
    const gbdt = readModelText(text);
    return TreeModel.fromGbdt(files.name, files.version, gbdt, {
      ...options,
      onnx: files.onnxPath ? new Uint8Array(await readFile(files.onnxPath)) : undefined,
    });
  }

  static async fromGbdt(
    name: ModelName,
    version: string,
    gbdt: GbdtModel,
    options: TreeModelOptions & { onnx?: Uint8Array } = {},
  ): Promise<TreeModel> {
    const bytes = options.onnx ?? exportOnnx(gbdt, { modelVersion: version });
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    let shap: ShapPool;
    try {
      shap = await ShapPool.create(gbdt, { threads: options.shapThreads });
    } catch (err) {
      await session.release();
      throw err;
    }
    return new TreeModel(name, version, gbdt, session, shap);
  }

  private checkWidth(matrix: FeatureMatrix): void {
    if (matrix.names.length !== this.gbdt.featureNames.length) {
      throw amlError(ERRORS.AML_ERR_MODEL_FEATURE_MISMATCH, [
        this.name,
        `expected ${this.gbdt.featureNames.length} columns, got ${matrix.names.length}`,
      ]);
    }
  }

  async predict(matrix: FeatureMatrix): Promise<Float64Array> {
    this.checkWidth(matrix);
    const n = matrix.numRows;
    const out = new Float64Array(n);
    if (n === 0) return out;
    const width = matrix.names.length;
    const input = new ort.Tensor('float32', matrix.values, [n, width]);
    const results = await this.session.run({ [this.session.inputNames[0]]: input });
    // Binary models export a classifier whose probabilities are [n, 2]; the others a [n, 1] value.
    for (const outputName of this.session.outputNames) {
      const tensor = results[outputName];
      if (tensor.type !== 'float32' && tensor.type !== 'float64') continue;
      const dims = tensor.dims;
      const cols = dims.length === 2 ? Number(dims[1]) : 1;
      const data = tensor.data as Float32Array | Float64Array;
      if (data.length !== n * cols) continue;
      for (let r = 0; r < n; r++) out[r] = data[r * cols + cols - 1];
      return out;
    }
    throw amlError(ERRORS.AML_ERR_GBDT_MODEL_FORMAT, [`${this.name}: the ONNX model has no score output`]);
  }

  /**
   * TreeSHAP a block of rows at a time, so the contributions (rows × features float64: 50 MB at
   * 50,000 alerts) never exist for the whole batch; each row is computed alone, so the result is
   * the whole-batch one bit for bit.
   */
  explain(matrix: FeatureMatrix, topK = DEFAULT_TOP_FEATURES): RowExplanation[] {
    this.checkWidth(matrix);
    const n = matrix.numRows;
    const width = matrix.names.length;
    const out: RowExplanation[] = new Array(n);
    const block = Math.min(n, EXPLAIN_BLOCK_ROWS);
    const contributions = new Float64Array(block * width);
    for (let start = 0; start < n; start += block) {
      const rows = Math.min(block, n - start);
      const values = matrix.values.subarray(start * width, (start + rows) * width);
      const { expectedValue } = this.shap.explainBatch(values, rows, contributions);
      for (let r = 0; r < rows; r++) {
        out[start + r] = {
          topFeatures: topContributions(matrix.names, values, r * width, contributions, r * width, topK),
          baseValue: expectedValue,
        };
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.shap.close();
    await this.session.release();
  }
}
