/**
 * The hyperparameter search space: which LightGBM parameters `aml-miner tune` varies, over which
 * ranges and scales. A space is a zod-validated mapping (writable as YAML) from a LightGBM parameter
 * name to a distribution; every name and every value the space can produce is checked against the
 * GBDT parameter schema up front, so a typo fails before the first trial rather than after an hour.
 *
 * Each numeric parameter lives in an internal coordinate (its log for log scales, widened by half a
 * step for integers so every integer gets an equal share); samplers work in that coordinate and
 * `decodeValue` maps it back. The boundary: no sampling strategy here, only the shape of the space.
 */
import { z } from 'zod';
import { amlError, ERRORS } from '../../errors.js';
import { canonicalParamName, parseGbdtParams } from '../../gbdt/params.js';
import type { ModelName } from '../../schemas/api.js';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');

const floatSpec = z
  .object({
    type: z.literal('float'),
    low: finite,
    high: finite,
    log: z.boolean().default(false),
    /** Probability of proposing exactly 0 (e.g. "no L1 penalty"), besides the range. */
    zero_prob: z.number().min(0).lt(1).default(0),
  })
  .strict();

const intSpec = z
  .object({
    type: z.literal('int'),
    low: z.number().int(),
    high: z.number().int(),
    log: z.boolean().default(false),
  })
  .strict();

const choiceValue = z.union([z.number(), z.string(), z.boolean()]);
const choiceSpec = z.object({ type: z.literal('choice'), values: z.array(choiceValue).min(1) }).strict();
const fixedSpec = z.object({ type: z.literal('fixed'), value: choiceValue }).strict();

export const paramSpecSchema = z
  .discriminatedUnion('type', [floatSpec, intSpec, choiceSpec, fixedSpec])
  .superRefine((spec, ctx) => {
    if (spec.type !== 'float' && spec.type !== 'int') return;
    if (!(spec.low < spec.high))
      ctx.addIssue({ code: 'custom', message: `expected low < high, got ${spec.low} >= ${spec.high}` });
    if (spec.log && spec.low <= 0)
      ctx.addIssue({ code: 'custom', message: `a log scale needs low > 0, got ${spec.low}` });
  });

export type ParamSpec = z.output<typeof paramSpecSchema>;
export type ParamSpecInput = z.input<typeof paramSpecSchema>;
export type ParamValue = number | string | boolean;
export type ParamValues = Record<string, ParamValue>;
/** Parameter name (canonical LightGBM) -> distribution, in a stable order. */
export type SearchSpace = ReadonlyArray<{ name: string; spec: ParamSpec }>;

export const searchSpaceSchema = z.record(z.string(), paramSpecSchema);

/** Shared by the three models; the small-data cluster scorer gets smaller trees below. */
const COMMON_SPACE: Record<string, ParamSpecInput> = {
  learning_rate: { type: 'float', low: 0.01, high: 0.3, log: true },
  num_leaves: { type: 'int', low: 8, high: 128, log: true },
  min_data_in_leaf: { type: 'int', low: 5, high: 200, log: true },
  feature_fraction: { type: 'float', low: 0.4, high: 1 },
  bagging_fraction: { type: 'float', low: 0.5, high: 1 },
  lambda_l1: { type: 'float', low: 1e-3, high: 10, log: true, zero_prob: 0.25 },
  lambda_l2: { type: 'float', low: 1e-3, high: 30, log: true, zero_prob: 0.25 },
  min_gain_to_split: { type: 'float', low: 0, high: 1 },
  max_depth: { type: 'choice', values: [-1, 4, 6, 8, 12] },
};

export const DEFAULT_SEARCH_SPACES: Readonly<Record<ModelName, Record<string, ParamSpecInput>>> = {
  alert_scorer: COMMON_SPACE,
  alert_ranker: COMMON_SPACE,
  cluster_scorer: {
    ...COMMON_SPACE,
    num_leaves: { type: 'int', low: 4, high: 64, log: true },
    min_data_in_leaf: { type: 'int', low: 2, high: 50, log: true },
  },
};

function invalid(name: string, message: string): never {
  throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [`search space parameter "${name}": ${message}`]);
}

/** The values a spec can produce at its edges: enough to check them against the GBDT schema. */
function edgeValues(spec: ParamSpec): ParamValue[] {
  if (spec.type === 'choice') return spec.values;
  if (spec.type === 'fixed') return [spec.value];
  return spec.type === 'float' && spec.zero_prob > 0 ? [spec.low, spec.high, 0] : [spec.low, spec.high];
}

/**
 * Validates a space given as a plain mapping (from YAML or code). Names may be LightGBM aliases and
 * come back canonical; an unknown name throws AML_ERR_GBDT_PARAM naming it.
 */
export function parseSearchSpace(input: unknown): SearchSpace {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, ['a search space must be a mapping of parameter names']);
  const out: { name: string; spec: ParamSpec }[] = [];
  for (const [rawName, rawSpec] of Object.entries(input)) {
    const name = canonicalParamName(rawName);
    if (name === undefined)
      throw amlError(ERRORS.AML_ERR_GBDT_PARAM, [rawName, 'unknown or unsupported parameter']);
    if (out.some((p) => p.name === name)) invalid(rawName, `given twice (as ${name})`);
    const parsed = paramSpecSchema.safeParse(rawSpec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      invalid(rawName, `${issue?.message ?? 'invalid'}${where}`);
    }
    for (const value of edgeValues(parsed.data)) parseGbdtParams({ [name]: value });
    out.push({ name, spec: parsed.data });
  }
  if (out.length === 0) invalid('(none)', 'the space is empty');
  return out;
}

export function defaultSearchSpace(task: ModelName): SearchSpace {
  return parseSearchSpace(DEFAULT_SEARCH_SPACES[task]);
}

/** Numeric parameters' internal coordinate range. */
export function internalBounds(spec: ParamSpec & { type: 'float' | 'int' }): [number, number] {
  const pad = spec.type === 'int' ? 0.5 : 0;
  const t = spec.log ? Math.log : (x: number) => x;
  return [t(spec.low - pad), t(spec.high + pad)];
}

/** Four significant digits: readable params in files and logs that reproduce exactly. */
function roundSignificant(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(4));
}

/** Internal coordinate -> parameter value (rounded, clamped into [low, high]). */
export function decodeValue(spec: ParamSpec & { type: 'float' | 'int' }, x: number): number {
  const raw = spec.log ? Math.exp(x) : x;
  const v = spec.type === 'int' ? Math.round(raw) : roundSignificant(raw);
  return Math.min(spec.high, Math.max(spec.low, v));
}

/** Parameter value -> internal coordinate (the inverse of decodeValue up to rounding). */
export function encodeValue(spec: ParamSpec & { type: 'float' | 'int' }, value: number): number {
  return spec.log ? Math.log(value) : value;
}

/**
 * Completes sampled parameters the way LightGBM needs them: bagging only happens when bagging_freq
 * is positive, so a sampled bagging_fraction < 1 without a frequency would silently do nothing.
 */
export function completeParams(params: ParamValues): ParamValues {
  const out = { ...params };
  if (typeof out.bagging_fraction === 'number' && out.bagging_fraction < 1 && !('bagging_freq' in out))
    out.bagging_freq = 1;
  return out;
}
