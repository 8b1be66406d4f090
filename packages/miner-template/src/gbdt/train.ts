/** The GBDT training entry point: `train` plus the types a caller needs. */
export {
  type IterationInfo,
  type TrainOptions,
  type TrainResult,
  train,
} from './boosting/gbdt.js';
export type { TrainData } from './dataset/train-data.js';
export {
  canonicalParamName,
  GBDT_PARAM_ALIASES,
  type GbdtParams,
  type GbdtParamsInput,
  gbdtParamsSchema,
  type MetricName,
  parseGbdtParams,
} from './params.js';
