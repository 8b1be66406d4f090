import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAmlError } from '../errors.js';
import { canonicalParamName, effectiveMetrics, paramsToModelBlock, parseGbdtParams } from './params.js';
import { CANONICAL_NAMES, fastParseParams } from './params-fast.js';
import { gbdtParamsSchema } from './params-schema.js';

function paramError(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (err) {
    if (isAmlError(err)) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('parseGbdtParams', () => {
  it("applies LightGBM's defaults", () => {
    const p = parseGbdtParams({});
    expect(p).toMatchObject({
      objective: 'regression',
      num_iterations: 100,
      learning_rate: 0.1,
      num_leaves: 31,
      max_depth: -1,
      min_data_in_leaf: 20,
      min_sum_hessian_in_leaf: 1e-3,
      max_bin: 255,
      bagging_freq: 0,
      feature_fraction: 1,
    });
    expect(effectiveMetrics(p)).toEqual(['l2']);
  });

  it('maps aliases and CLI spellings to canonical names and coerces strings', () => {
    const p = parseGbdtParams({
      n_estimators: '50',
      eta: '0.05',
      'min-child-samples': '7',
      reg_alpha: 0.5,
      reg_lambda: '2',
      colsample_bytree: '0.8',
      subsample: 0.9,
      subsample_freq: 1,
      early_stopping_rounds: 10,
      random_state: 42,
      objective: 'binary',
      metric: 'auc,binary',
      first_metric_only: 'true',
      label_gain: '0,1,3',
    });
    expect(p).toMatchObject({
      num_iterations: 50,
      learning_rate: 0.05,
      min_data_in_leaf: 7,
      lambda_l1: 0.5,
      lambda_l2: 2,
      feature_fraction: 0.8,
      bagging_fraction: 0.9,
      bagging_freq: 1,
      early_stopping_round: 10,
      seed: 42,
      metric: ['auc', 'binary_logloss'],
      first_metric_only: true,
      label_gain: [0, 1, 3],
    });
    expect(canonicalParamName('num-trees')).toBe('num_iterations');
  });

  it('names an unknown parameter in the error', () => {
    const err = paramError(() => parseGbdtParams({ linear_tree: '1' }));
    expect(err.code).toBe('AML_ERR_GBDT_PARAM');
    expect(err.message).toContain('linear_tree');
  });

  it('reads monotone constraints, the categorical options and their LightGBM aliases', () => {
    const p = parseGbdtParams({ mc: '1,0,-1', cat_feature: 'name:a,b', cat_smooth: '3', path_smooth: 2 });
    expect(p.monotone_constraints).toEqual([1, 0, -1]);
    expect(p.categorical_feature).toBe('name:a,b');
    expect(p.cat_smooth).toBe(3);
    expect(p.path_smooth).toBe(2);
    expect([p.max_cat_to_onehot, p.cat_l2, p.max_cat_threshold, p.min_data_per_group]).toEqual([
      4, 10, 32, 100,
    ]);
    expect(paramError(() => parseGbdtParams({ monotone_constraints: '1,2' })).message).toContain(
      'monotone_constraints',
    );
    // only LightGBM's default method and penalty are implemented
    expect(paramError(() => parseGbdtParams({ mc_method: 'advanced' })).message).toContain('mc_method');
    expect(paramError(() => parseGbdtParams({ monotone_penalty: '1' })).message).toContain(
      'monotone_penalty',
    );
  });

  it('names an invalid value by the name the user wrote', () => {
    const err = paramError(() => parseGbdtParams({ subsample: '1.5' }));
    expect(err.message).toContain('subsample');
    expect(paramError(() => parseGbdtParams({ objective: 'poisson' })).message).toContain('objective');
    expect(paramError(() => parseGbdtParams({ metric: 'auc,bogus' })).message).toContain('bogus');
  });

  it('refuses the same parameter given twice under two names', () => {
    expect(paramError(() => parseGbdtParams({ num_trees: 5, n_estimators: 6 })).message).toContain('twice');
  });

  it('writes a parameters block with LightGBM-style values', () => {
    const block = paramsToModelBlock(parseGbdtParams({ objective: 'lambdarank', eval_at: '1,3' }));
    expect(block.objective).toBe('lambdarank');
    expect(block.eval_at).toBe('1,3');
    expect(block.boost_from_average).toBe('1');
  });
});

describe('parameters checked without zod', () => {
  /** Values a user might give any parameter: numbers, CLI text, edge cases of coercion. */
  const POOL: unknown[] = [
    ...['0', '1', '-1', '2', '31', '0.1', '1.5', '-0', '', ' ', ' 7 ', '1e3', '0x10', 'Infinity', '1e400'],
    ...['9007199254740993', 'true', 'false', '+', '-', 'yes', 'binary', ' Binary ', 'lambdarank', 'mse'],
    ...['poisson', 'gbdt', 'dart', 'basic', 'auc', 'auc,binary', 'auc,bogus', 'l2,rmse,l2', 'none', '1,3'],
    ...['name:a,b', 0, 1, -1, 2, 0.5, -0, 1e-3, 131072, 131073, 65535, 65536, 2 ** 53, Number.NaN],
    ...[Number.POSITIVE_INFINITY, true, false, null, [1, 2], ['auc'], ['auc', 'ndcg'], ['x'], [3], [], {}],
  ];

  /** The fast answer, when there is one, is the schema's: same values, same keys, same order. */
  function agrees(input: Record<string, unknown>): boolean {
    const fast = fastParseParams(input);
    if (fast === undefined) return false;
    const parsed = gbdtParamsSchema().safeParse(input);
    expect(parsed.success, JSON.stringify(input)).toBe(true);
    expect(fast).toStrictEqual(parsed.data);
    expect(Object.keys(fast)).toEqual(Object.keys(parsed.data ?? {}));
    return true;
  }

  it("gives the schema's value for every parameter and value it answers for", () => {
    let answered = 0;
    for (const name of CANONICAL_NAMES) for (const v of POOL) if (agrees({ [name]: v })) answered++;
    // most parameters take most numbers: the fast path is not a pass-through to the schema
    expect(answered).toBeGreaterThan(CANONICAL_NAMES.length * 10);
  });

  it('agrees with the schema on random combinations', () => {
    const value = fc.oneof(fc.constantFrom(...POOL), fc.double(), fc.integer(), fc.double().map(String));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...CANONICAL_NAMES), value, { maxKeys: 3 }), (input) => {
        agrees(input);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers for the usual command-line values and every default', () => {
    expect(fastParseParams({})).toStrictEqual(gbdtParamsSchema().parse({}));
    const cli = {
      objective: 'binary',
      num_iterations: '200',
      num_leaves: '31',
      learning_rate: '0.1',
      seed: '1',
      metric: 'auc',
      bagging_fraction: '0.8',
      bagging_freq: '1',
      feature_pre_filter: 'false',
      verbosity: '-1',
    };
    expect(fastParseParams(cli)).toStrictEqual(gbdtParamsSchema().parse(cli));
  });

  it("has the schema's parameters", () => {
    expect([...CANONICAL_NAMES]).toEqual(Object.keys(gbdtParamsSchema().shape));
  });
});
