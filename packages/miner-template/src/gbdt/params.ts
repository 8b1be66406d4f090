/**
 * GBDT training parameters: one zod schema with LightGBM's canonical names and defaults, plus the
 * alias table LightGBM accepts (docs/Parameters.rst). `parseGbdtParams` turns user input (numbers or
 * CLI strings, canonical names or aliases, `-` or `_`) into a typed, validated object; an unknown or
 * unsupported parameter is an error naming it, never silently dropped.
 */
import { z } from 'zod';
import { amlError, ERRORS } from '../errors.js';

const positiveInt = z.coerce.number().int().positive();
const nonNegative = z.coerce.number().nonnegative();
const fraction = z.coerce.number().gt(0).lte(1);

/** Booleans arrive as strings from the CLI ("true", "1", "false", "0"). */
const booleanLike = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', '+', '-']).transform((s) => s === 'true' || s === '1' || s === '+'),
  z
    .number()
    .refine((n) => n === 0 || n === 1)
    .transform((n) => n === 1),
]);

/** Comma-separated number lists ("0,1,3,7") or arrays. */
function numberList(item: z.ZodNumber) {
  return z.union([
    z.array(item),
    z
      .string()
      .transform((s) => (s.trim() === '' ? [] : s.split(',').map((p) => Number(p.trim()))))
      .pipe(z.array(item)),
  ]);
}

const metricNames = [
  'auc',
  'average_precision',
  'binary_logloss',
  'ndcg',
  'precision',
  'recall',
  'l2',
  'rmse',
  'none',
] as const;
export type MetricName = (typeof metricNames)[number];

/** LightGBM metric aliases -> our canonical names. */
const METRIC_ALIASES: Record<string, MetricName> = {
  auc: 'auc',
  average_precision: 'average_precision',
  binary_logloss: 'binary_logloss',
  binary: 'binary_logloss',
  ndcg: 'ndcg',
  lambdarank: 'ndcg',
  rank_xendcg: 'ndcg',
  xendcg: 'ndcg',
  precision: 'precision',
  recall: 'recall',
  l2: 'l2',
  mse: 'l2',
  mean_squared_error: 'l2',
  regression: 'l2',
  regression_l2: 'l2',
  rmse: 'rmse',
  root_mean_squared_error: 'rmse',
  l2_root: 'rmse',
  none: 'none',
  null: 'none',
  custom: 'none',
  na: 'none',
};

const metricList = z
  .union([z.array(z.string()), z.string().transform((s) => (s.trim() === '' ? [] : s.split(',')))])
  .transform((names, ctx) => {
    const out: MetricName[] = [];
    for (const raw of names) {
      const name = METRIC_ALIASES[raw.trim().toLowerCase()];
      if (name === undefined) {
        ctx.addIssue({ code: 'custom', message: `unknown metric "${raw}"` });
        return z.NEVER;
      }
      if (!out.includes(name)) out.push(name);
    }
    return out;
  });

const objectiveSchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(
    z
      .enum(['binary', 'lambdarank', 'regression', 'regression_l2', 'l2', 'mean_squared_error', 'mse'])
      .transform((s) => (s === 'binary' || s === 'lambdarank' ? s : ('regression' as const))),
  );

/** Canonical parameters with LightGBM's defaults. */
export const gbdtParamsSchema = z
  .object({
    objective: objectiveSchema.default('regression'),
    boosting: z.enum(['gbdt']).default('gbdt'),
    num_iterations: z.coerce.number().int().nonnegative().default(100),
    learning_rate: z.coerce.number().positive().default(0.1),
    num_leaves: z.coerce.number().int().min(2).max(131072).default(31),
    max_depth: z.coerce.number().int().default(-1),
    min_data_in_leaf: z.coerce.number().int().nonnegative().default(20),
    min_sum_hessian_in_leaf: nonNegative.default(1e-3),
    lambda_l1: nonNegative.default(0),
    lambda_l2: nonNegative.default(0),
    min_gain_to_split: nonNegative.default(0),
    feature_fraction: fraction.default(1),
    feature_fraction_seed: z.coerce.number().int().optional(),
    bagging_fraction: fraction.default(1),
    bagging_freq: z.coerce.number().int().nonnegative().default(0),
    bagging_seed: z.coerce.number().int().optional(),
    max_bin: z.coerce.number().int().min(2).max(65535).default(255),
    min_data_in_bin: positiveInt.default(3),
    bin_construct_sample_cnt: positiveInt.default(200000),
    use_missing: booleanLike.default(true),
    zero_as_missing: booleanLike.default(false),
    feature_pre_filter: booleanLike.default(true),
    path_smooth: nonNegative.default(0),
    /** One of -1, 0, 1 per feature (LightGBM's "basic" method); empty = none. */
    monotone_constraints: numberList(z.number().int().min(-1).max(1)).optional(),
    monotone_constraints_method: z.enum(['basic']).default('basic'),
    monotone_penalty: z.coerce
      .number()
      .refine((v) => v === 0, 'only 0 is supported')
      .default(0),
    /** Feature indices ("0,3") or names ("name:a,b"), as LightGBM's categorical_feature. */
    categorical_feature: z.union([z.string(), z.array(z.number().int().nonnegative())]).optional(),
    max_cat_to_onehot: positiveInt.default(4),
    cat_smooth: nonNegative.default(10),
    cat_l2: nonNegative.default(10),
    max_cat_threshold: positiveInt.default(32),
    min_data_per_group: positiveInt.default(100),
    data_random_seed: z.coerce.number().int().optional(),
    early_stopping_round: z.coerce.number().int().nonnegative().default(0),
    first_metric_only: booleanLike.default(false),
    seed: z.coerce.number().int().default(0),
    metric: metricList.optional(),
    eval_at: numberList(z.number().int().positive()).default([1, 2, 3, 4, 5]),
    label_gain: numberList(z.number().nonnegative()).optional(),
    lambdarank_truncation_level: positiveInt.default(30),
    lambdarank_norm: booleanLike.default(true),
    sigmoid: z.coerce.number().positive().default(1),
    boost_from_average: booleanLike.default(true),
    scale_pos_weight: z.coerce.number().positive().default(1),
    verbosity: z.coerce.number().int().default(1),
    /** Accepted for LightGBM compatibility: training here is single-threaded and deterministic. */
    num_threads: z.coerce.number().int().nonnegative().default(0),
    deterministic: booleanLike.default(true),
  })
  .strict();

export type GbdtParams = z.output<typeof gbdtParamsSchema>;
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

const CANONICAL = new Set(Object.keys(gbdtParamsSchema.shape));

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
  const parsed = gbdtParamsSchema.safeParse(canonical);
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
