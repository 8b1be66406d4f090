import { describe, expect, it } from 'vitest';
import { isAmlError } from '../errors.js';
import { canonicalParamName, effectiveMetrics, paramsToModelBlock, parseGbdtParams } from './params.js';

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
