/** Hyperparameter tuning for the three models: search space, samplers, search loop, CV objective, files. */
export {
  type CrossValidateOptions,
  crossValidate,
  prepareTuningData,
  TUNE_METRIC,
  type TuningData,
} from './cv-objective.js';
export {
  canonicalParams,
  formatBestParamsYaml,
  mergeParams,
  type ParamsFile,
  readParamsFile,
  readSearchSpaceFile,
} from './params-file.js';
export {
  DEFAULT_TPE,
  type Observation,
  SAMPLERS,
  type SamplerName,
  sampleRandom,
  sampleTpe,
  suggestParams,
  type TpeOptions,
} from './samplers.js';
export {
  meanStd,
  type ObjectiveResult,
  runSearch,
  type SearchOptions,
  type SearchProgress,
  type SearchResult,
  type Trial,
} from './search.js';
export {
  completeParams,
  DEFAULT_SEARCH_SPACES,
  defaultSearchSpace,
  type ParamSpec,
  type ParamSpecInput,
  type ParamValue,
  type ParamValues,
  parseSearchSpace,
  type SearchSpace,
} from './space.js';
export { formatTrialsCsv } from './trials-table.js';
export { type TuneDataInfo, type TuneModelOptions, type TuneModelResult, tuneModel } from './tune-model.js';
