/**
 * Public surface of the GBDT engine, layered as LightGBM is: model (the tree arrays), text (model
 * files), train (binning, tree learner, objectives, boosting), metric, predict, shap, onnx.
 */
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
  predict,
  predictBatch,
  predictRaw,
  predictRawBatch,
  transformScore,
} from './predict/index.js';
export { type BatchExplanation, expectedValue, explainBatch, explainRow } from './shap/index.js';
export { readModelText, writeModelText } from './text/index.js';
export {
  canonicalParamName,
  GBDT_PARAM_ALIASES,
  type GbdtParams,
  type GbdtParamsInput,
  gbdtParamsSchema,
  type IterationInfo,
  type MetricName,
  parseGbdtParams,
  type TrainData,
  type TrainOptions,
  type TrainResult,
  train,
} from './train.js';
