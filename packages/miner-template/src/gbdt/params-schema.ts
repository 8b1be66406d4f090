/**
 * The zod schema of the GBDT parameters: LightGBM's canonical names, the checks on each and the
 * defaults (GBDT_DEFAULTS). It is the reference for what a parameter accepts and the source of
 * every error message about one. zod is loaded the first time the schema is asked for, not with
 * this module: its ~95 modules cost `aml-miner gbdt train` about 0.07 s and 14 MB, while the
 * parameters of a usual run are checked without it (params-fast.ts, which returns the same values).
 */
import { createRequire } from 'node:module';
import type { z as Z } from 'zod';

/** Our metric names (LightGBM's aliases map onto them). */
export const METRIC_NAMES = [
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
export type MetricName = (typeof METRIC_NAMES)[number];

/** LightGBM metric aliases -> our canonical names. */
export const METRIC_ALIASES: Readonly<Record<string, MetricName>> = {
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

/** The objectives accepted (any case, trimmed) and what each means here. */
export const OBJECTIVES: Readonly<Record<string, 'binary' | 'lambdarank' | 'regression'>> = {
  binary: 'binary',
  lambdarank: 'lambdarank',
  regression: 'regression',
  regression_l2: 'regression',
  l2: 'regression',
  mean_squared_error: 'regression',
  mse: 'regression',
};

/** LightGBM's defaults, one per parameter that has one. */
export const GBDT_DEFAULTS = {
  objective: 'regression',
  boosting: 'gbdt',
  num_iterations: 100,
  learning_rate: 0.1,
  num_leaves: 31,
  max_depth: -1,
  min_data_in_leaf: 20,
  min_sum_hessian_in_leaf: 1e-3,
  lambda_l1: 0,
  lambda_l2: 0,
  min_gain_to_split: 0,
  feature_fraction: 1,
  bagging_fraction: 1,
  bagging_freq: 0,
  max_bin: 255,
  min_data_in_bin: 3,
  bin_construct_sample_cnt: 200000,
  use_missing: true,
  zero_as_missing: false,
  feature_pre_filter: true,
  path_smooth: 0,
  monotone_constraints_method: 'basic',
  monotone_penalty: 0,
  max_cat_to_onehot: 4,
  cat_smooth: 10,
  cat_l2: 10,
  max_cat_threshold: 32,
  min_data_per_group: 100,
  early_stopping_round: 0,
  first_metric_only: false,
  seed: 0,
  eval_at: [1, 2, 3, 4, 5],
  lambdarank_truncation_level: 30,
  lambdarank_norm: true,
  sigmoid: 1,
  boost_from_average: true,
  scale_pos_weight: 1,
  verbosity: 1,
  num_threads: 0,
  deterministic: true,
} as const;

const D = GBDT_DEFAULTS;

/** The schema, built with the zod module given (so that only its type is imported here). */
function buildSchema(z: typeof Z) {
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
  const numberList = (item: Z.ZodNumber) =>
    z.union([
      z.array(item),
      z
        .string()
        .transform((s) => (s.trim() === '' ? [] : s.split(',').map((p) => Number(p.trim()))))
        .pipe(z.array(item)),
    ]);

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

  return z
    .object({
      objective: objectiveSchema.default(D.objective),
      boosting: z.enum(['gbdt']).default(D.boosting),
      num_iterations: z.coerce.number().int().nonnegative().default(D.num_iterations),
      learning_rate: z.coerce.number().positive().default(D.learning_rate),
      num_leaves: z.coerce.number().int().min(2).max(131072).default(D.num_leaves),
      max_depth: z.coerce.number().int().default(D.max_depth),
      min_data_in_leaf: z.coerce.number().int().nonnegative().default(D.min_data_in_leaf),
      min_sum_hessian_in_leaf: nonNegative.default(D.min_sum_hessian_in_leaf),
      lambda_l1: nonNegative.default(D.lambda_l1),
      lambda_l2: nonNegative.default(D.lambda_l2),
      min_gain_to_split: nonNegative.default(D.min_gain_to_split),
      feature_fraction: fraction.default(D.feature_fraction),
      feature_fraction_seed: z.coerce.number().int().optional(),
      bagging_fraction: fraction.default(D.bagging_fraction),
      bagging_freq: z.coerce.number().int().nonnegative().default(D.bagging_freq),
      bagging_seed: z.coerce.number().int().optional(),
      max_bin: z.coerce.number().int().min(2).max(65535).default(D.max_bin),
      min_data_in_bin: positiveInt.default(D.min_data_in_bin),
      bin_construct_sample_cnt: positiveInt.default(D.bin_construct_sample_cnt),
      use_missing: booleanLike.default(D.use_missing),
      zero_as_missing: booleanLike.default(D.zero_as_missing),
      feature_pre_filter: booleanLike.default(D.feature_pre_filter),
      path_smooth: nonNegative.default(D.path_smooth),
      /** One of -1, 0, 1 per feature (LightGBM's "basic" method); empty = none. */
      monotone_constraints: numberList(z.number().int().min(-1).max(1)).optional(),
      monotone_constraints_method: z.enum(['basic']).default(D.monotone_constraints_method),
      monotone_penalty: z.coerce
        .number()
        .refine((v) => v === 0, 'only 0 is supported')
        .default(D.monotone_penalty),
      /** Feature indices ("0,3") or names ("name:a,b"), as LightGBM's categorical_feature. */
      categorical_feature: z.union([z.string(), z.array(z.number().int().nonnegative())]).optional(),
      max_cat_to_onehot: positiveInt.default(D.max_cat_to_onehot),
      cat_smooth: nonNegative.default(D.cat_smooth),
      cat_l2: nonNegative.default(D.cat_l2),
      max_cat_threshold: positiveInt.default(D.max_cat_threshold),
      min_data_per_group: positiveInt.default(D.min_data_per_group),
      data_random_seed: z.coerce.number().int().optional(),
      early_stopping_round: z.coerce.number().int().nonnegative().default(D.early_stopping_round),
      first_metric_only: booleanLike.default(D.first_metric_only),
      seed: z.coerce.number().int().default(D.seed),
      metric: metricList.optional(),
      eval_at: numberList(z.number().int().positive()).default(() => [...D.eval_at]),
      label_gain: numberList(z.number().nonnegative()).optional(),
      lambdarank_truncation_level: positiveInt.default(D.lambdarank_truncation_level),
      lambdarank_norm: booleanLike.default(D.lambdarank_norm),
      sigmoid: z.coerce.number().positive().default(D.sigmoid),
      boost_from_average: booleanLike.default(D.boost_from_average),
      scale_pos_weight: z.coerce.number().positive().default(D.scale_pos_weight),
      verbosity: z.coerce.number().int().default(D.verbosity),
      /** Accepted for LightGBM compatibility: training here is single-threaded and deterministic. */
      num_threads: z.coerce.number().int().nonnegative().default(D.num_threads),
      deterministic: booleanLike.default(D.deterministic),
    })
    .strict();
}

export type GbdtParamsSchema = ReturnType<typeof buildSchema>;
export type GbdtParams = Z.output<GbdtParamsSchema>;

let schema: GbdtParamsSchema | undefined;

/**
 * The parameters' zod schema, built on first use. zod comes through require (its CommonJS build),
 * the one way to load a module synchronously here: parseGbdtParams is synchronous.
 */
export function gbdtParamsSchema(): GbdtParamsSchema {
  if (schema === undefined) {
    const { z } = createRequire(import.meta.url)('zod') as { z: typeof Z };
    schema = buildSchema(z);
  }
  return schema;
}
