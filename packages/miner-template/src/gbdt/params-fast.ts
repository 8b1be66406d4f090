/**
 * The parameters of a usual run checked without zod (params-schema.ts says why): each parameter's
 * value is taken only when it certainly passes the schema, and then it is the value the schema
 * gives; anything else (a value the schema would refuse or that needs its rarer rules: number
 * lists, categorical_feature, non-numeric coercions) makes fastParseParams answer undefined, and
 * the schema decides, with its own error messages. params.test.ts checks the two agree.
 */
import {
  GBDT_DEFAULTS,
  type GbdtParams,
  METRIC_ALIASES,
  type MetricName,
  OBJECTIVES,
} from './params-schema.js';

/** A value's parsed form, or UNSURE: let the schema decide. */
const UNSURE = Symbol('unsure');
type Check = (value: unknown) => unknown;

/** What z.coerce.number() makes of a number or a string, if finite. */
function finite(value: unknown): number | typeof UNSURE {
  if (typeof value !== 'number' && typeof value !== 'string') return UNSURE;
  const n = Number(value);
  return Number.isFinite(n) ? n : UNSURE;
}

const number =
  (ok: (n: number) => boolean): Check =>
  (value) => {
    const n = finite(value);
    return n !== UNSURE && ok(n) ? n : UNSURE;
  };
const int = (min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): Check =>
  number((n) => Number.isSafeInteger(n) && n >= min && n <= max);
const positive = number((n) => n > 0);
const nonNegative = number((n) => n >= 0);
const fraction = number((n) => n > 0 && n <= 1);

const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  '+': true,
  '-': false,
};
const boolean: Check = (value) => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return BOOLEAN_TEXT[value] ?? UNSURE;
  if (value === 0 || value === 1) return value === 1;
  return UNSURE;
};
const exactly =
  (text: string): Check =>
  (value) =>
    value === text ? text : UNSURE;

const objective: Check = (value) =>
  typeof value === 'string' ? (OBJECTIVES[value.trim().toLowerCase()] ?? UNSURE) : UNSURE;

const metric: Check = (value) => {
  let names: unknown[];
  if (typeof value === 'string') names = value.trim() === '' ? [] : value.split(',');
  else if (Array.isArray(value)) names = value;
  else return UNSURE;
  const out: MetricName[] = [];
  for (const raw of names) {
    if (typeof raw !== 'string') return UNSURE;
    const name = METRIC_ALIASES[raw.trim().toLowerCase()];
    if (name === undefined) return UNSURE;
    if (!out.includes(name)) out.push(name);
  }
  return out;
};

const schemaOnly: Check = () => UNSURE;

/** Every parameter, in the schema's order (the model file's parameters block follows it). */
const CHECKS: Readonly<Record<keyof GbdtParams, Check>> = {
  objective,
  boosting: exactly('gbdt'),
  num_iterations: int(0),
  learning_rate: positive,
  num_leaves: int(2, 131072),
  max_depth: int(),
  min_data_in_leaf: int(0),
  min_sum_hessian_in_leaf: nonNegative,
  lambda_l1: nonNegative,
  lambda_l2: nonNegative,
  min_gain_to_split: nonNegative,
  feature_fraction: fraction,
  feature_fraction_seed: int(),
  bagging_fraction: fraction,
  bagging_freq: int(0),
  bagging_seed: int(),
  max_bin: int(2, 65535),
  min_data_in_bin: int(1),
  bin_construct_sample_cnt: int(1),
  use_missing: boolean,
  zero_as_missing: boolean,
  feature_pre_filter: boolean,
  path_smooth: nonNegative,
  monotone_constraints: schemaOnly,
  monotone_constraints_method: exactly('basic'),
  monotone_penalty: number((n) => n === 0),
  categorical_feature: schemaOnly,
  max_cat_to_onehot: int(1),
  cat_smooth: nonNegative,
  cat_l2: nonNegative,
  max_cat_threshold: int(1),
  min_data_per_group: int(1),
  data_random_seed: int(),
  early_stopping_round: int(0),
  first_metric_only: boolean,
  seed: int(),
  metric,
  eval_at: schemaOnly,
  label_gain: schemaOnly,
  lambdarank_truncation_level: int(1),
  lambdarank_norm: boolean,
  sigmoid: positive,
  boost_from_average: boolean,
  scale_pos_weight: positive,
  verbosity: int(),
  num_threads: int(0),
  deterministic: boolean,
};

/** The canonical parameter names, in the schema's order. */
export const CANONICAL_NAMES: readonly (keyof GbdtParams)[] = Object.keys(CHECKS) as (keyof GbdtParams)[];

/**
 * Canonically named parameters as the schema would parse them, or undefined when the schema must
 * decide (an unknown name included).
 */
export function fastParseParams(canonical: Readonly<Record<string, unknown>>): GbdtParams | undefined {
  for (const key in canonical) if (!Object.hasOwn(CHECKS, key)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of CANONICAL_NAMES) {
    const value = canonical[key];
    if (value === undefined) {
      const fallback = (GBDT_DEFAULTS as Record<string, unknown>)[key];
      if (fallback !== undefined) out[key] = Array.isArray(fallback) ? [...fallback] : fallback;
      continue;
    }
    const parsed = CHECKS[key](value);
    if (parsed === UNSURE) return undefined;
    out[key] = parsed;
  }
  return out as GbdtParams;
}
