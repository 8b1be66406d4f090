/**
 * Public surface of the GBDT engine, layered as LightGBM is: model (the tree arrays), text (model
 * files), train (binning, tree learner, objectives, boosting), metric, predict, shap, onnx.
 */

export {
  type IterationInfo,
  type TrainOptions,
  type TrainResult,
  train,
} from './boosting/gbdt.js';
export type { TrainData } from './dataset/train-data.js';
export * from './metric/index.js';
export {
  DECISION_CATEGORICAL_MASK,
  DECISION_DEFAULT_LEFT_MASK,
  type GbdtModel,
  type GbdtTree,
  isCategorical,
  isDefaultLeft,
  MissingType,
  missingTypeOf,
  type ObjectiveName,
} from './model.js';
export { exportOnnx, ONNX_INPUT_NAME, type OnnxExportOptions } from './onnx/index.js';
export {
  canonicalParamName,
  GBDT_PARAM_ALIASES,
  type GbdtParams,
  type GbdtParamsInput,
  gbdtParamsSchema,
  type MetricName,
  parseGbdtParams,
} from './params.js';
export {
  predict,
  predictBatch,
  predictRaw,
  predictRawBatch,
  transformScore,
} from './predict/index.js';
export { type BatchExplanation, expectedValue, explainBatch, explainRow } from './shap/index.js';
export { readModelText, writeModelText } from './text/index.js';
