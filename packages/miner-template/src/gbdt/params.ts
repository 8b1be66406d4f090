/**
 * GBDT training parameters: one zod schema with LightGBM's canonical names and defaults
 * (params-schema.ts), plus the alias table LightGBM accepts (docs/Parameters.rst).
 * `parseGbdtParams` turns user input (numbers or CLI strings, canonical names or aliases, `-` or
 * `_`) into a typed, validated object; an unknown or unsupported parameter is an error naming it,
 * never silently dropped. Usual values are checked without loading zod (params-fast.ts).
 */
import { amlError, ERRORS } from '../errors.js';
import { CANONICAL_NAMES, fastParseParams } from './params-fast.js';
import { type GbdtParams, gbdtParamsSchema, type MetricName } from './params-schema.js';

export { type GbdtParams, gbdtParamsSchema, type MetricName } from './params-schema.js';
export type GbdtParamsInput = Record<string, unknown>;

/** LightGBM aliases -> canonical name (a subset of docs/Parameters.rst covering our parameters). */
export const GBDT_PARAM_ALIASES: Readonly<Record<string, keyof GbdtParams>> = {
  objective_type: 'objective',
  app: 'objective',
  application: 'objective',
  loss: 'objective',
  boosting_type: 'boosting',
  boost: 'boosting',
  num_iteration: 'num_iterations',
  n_iter: 'num_iterations',
  num_tree: 'num_iterations',
  num_trees: 'num_iterations',
  num_round: 'num_iterations',
  num_rounds: 'num_iterations',
  nrounds: 'num_iterations',
  num_boost_round: 'num_iterations',
  n_estimators: 'num_iterations',
  max_iter: 'num_iterations',
  shrinkage_rate: 'learning_rate',
  eta: 'learning_rate',
  num_leaf: 'num_leaves',
  max_leaves: 'num_leaves',
  max_leaf: 'num_leaves',
  max_leaf_nodes: 'num_leaves',
  min_data_per_leaf: 'min_data_in_leaf',
  min_data: 'min_data_in_leaf',
  min_child_samples: 'min_data_in_leaf',
  min_samples_leaf: 'min_data_in_leaf',
  min_sum_hessian_per_leaf: 'min_sum_hessian_in_leaf',
  min_sum_hessian: 'min_sum_hessian_in_leaf',
  min_hessian: 'min_sum_hessian_in_leaf',
  min_child_weight: 'min_sum_hessian_in_leaf',
  reg_alpha: 'lambda_l1',
  l1_regularization: 'lambda_l1',
  reg_lambda: 'lambda_l2',
  lambda: 'lambda_l2',
  l2_regularization: 'lambda_l2',
  min_split_gain: 'min_gain_to_split',
  sub_feature: 'feature_fraction',
  colsample_bytree: 'feature_fraction',
  sub_row: 'bagging_fraction',
  subsample: 'bagging_fraction',
  bagging: 'bagging_fraction',
  subsample_freq: 'bagging_freq',
  bagging_fraction_seed: 'bagging_seed',
  max_bins: 'max_bin',
  monotone_constraint: 'monotone_constraints',
  mc: 'monotone_constraints',
  monotone_constraining_method: 'monotone_constraints_method',
  mc_method: 'monotone_constraints_method',
  monotone_splits_penalty: 'monotone_penalty',
  ms_penalty: 'monotone_penalty',
  mc_penalty: 'monotone_penalty',
  cat_feature: 'categorical_feature',
  categorical_column: 'categorical_feature',
  cat_column: 'categorical_feature',
  categorical_features: 'categorical_feature',
  subsample_for_bin: 'bin_construct_sample_cnt',
  data_seed: 'data_random_seed',
  early_stopping_rounds: 'early_stopping_round',
  early_stopping: 'early_stopping_round',
  n_iter_no_change: 'early_stopping_round',
  random_seed: 'seed',
  random_state: 'seed',
  metrics: 'metric',
  metric_types: 'metric',
  ndcg_eval_at: 'eval_at',
  ndcg_at: 'eval_at',
  map_eval_at: 'eval_at',
  map_at: 'eval_at',
  verbose: 'verbosity',
  num_thread: 'num_threads',
  nthread: 'num_threads',
  nthreads: 'num_threads',
  n_jobs: 'num_threads',
};

const CANONICAL: ReadonlySet<string> = new Set(CANONICAL_NAMES);

/** Maps a user-written name (any case, `-` or `_`, alias) to the canonical name, or undefined. */
export function canonicalParamName(name: string): keyof GbdtParams | undefined {
  const key = name.trim().toLowerCase().replace(/-/g, '_');
  if (CANONICAL.has(key)) return key as keyof GbdtParams;
  return GBDT_PARAM_ALIASES[key];
}

/** Validates and normalises parameters; throws AML_ERR_GBDT_PARAM naming the offending parameter. */
export function parseGbdtParams(input: GbdtParamsInput = {}): GbdtParams {
  const canonical: Record<string, unknown> = {};
  const seenFrom: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const key = canonicalParamName(name);
    if (key === undefined)
      throw amlError(ERRORS.AML_ERR_GBDT_PARAM, [name, 'unknown or unsupported parameter']);
    if (key in canonical) {
      throw amlError(ERRORS.AML_ERR_GBDT_PARAM, [name, `given twice (also as ${seenFrom[key]})`]);
    }
    canonical[key] = value;
    seenFrom[key] = name;
  }
  const fast = fastParseParams(canonical);
  if (fast !== undefined) return fast;
  const parsed = gbdtParamsSchema().safeParse(canonical);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? 'parameters');
    throw amlError(ERRORS.AML_ERR_GBDT_PARAM, [seenFrom[key] ?? key, issue?.message ?? 'invalid'], {
      issues: parsed.error.issues,
    });
  }
  return parsed.data;
}

/** Default metrics per objective, as LightGBM picks them when `metric` is not given. */
export function effectiveMetrics(params: GbdtParams): MetricName[] {
  const list = params.metric ?? defaultMetric(params.objective);
  return list.filter((m) => m !== 'none');
}

function defaultMetric(objective: GbdtParams['objective']): MetricName[] {
  if (objective === 'binary') return ['binary_logloss'];
  if (objective === 'lambdarank') return ['ndcg'];
  return ['l2'];
}

/** LightGBM's default label_gain: 2^i - 1 for i in 0..30. */
export function defaultLabelGain(): number[] {
  return Array.from({ length: 31 }, (_, i) => 2 ** i - 1);
}

/** The parameters block of the model file: canonical name -> LightGBM-style value text. */
export function paramsToModelBlock(params: GbdtParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) out[key] = value.join(',');
    else if (typeof value === 'boolean') out[key] = value ? '1' : '0';
    else out[key] = String(value);
  }
  return out;
}
