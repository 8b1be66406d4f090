import { describe, expect, it } from 'vitest';
import { isAmlError } from '../../errors.js';
import type { TrainData } from '../dataset/train-data.js';
import { auc, l2, ndcgAtK } from '../metric/index.js';
import { type GbdtModel, isDefaultLeft, MissingType, missingTypeOf } from '../model.js';
import { train } from './gbdt.js';
import { Random } from './random.js';

/** Value-space reference predictor written from LightGBM's decision rules, independent of training. */
function predictRaw(model: GbdtModel, x: Float64Array, d: number, row: number): number {
  let sum = 0;
  for (const t of model.trees) {
    if (t.numLeaves === 1) {
      sum += t.leafValue[0];
      continue;
    }
    let node = 0;
    while (node >= 0) {
      let v = x[row * d + t.splitFeature[node]];
      const dt = t.decisionType[node];
      let left: boolean;
      if (Number.isNaN(v) && missingTypeOf(dt) === MissingType.NaN) left = isDefaultLeft(dt);
      else {
        if (Number.isNaN(v)) v = 0;
        left = v <= t.threshold[node];
      }
      node = left ? t.leftChild[node] : t.rightChild[node];
    }
    sum += t.leafValue[~node];
  }
  return sum;
}

function predictAll(model: GbdtModel, data: TrainData): Float64Array {
  const out = new Float64Array(data.numRows);
  const x = data.features as Float64Array;
  for (let r = 0; r < data.numRows; r++) out[r] = predictRaw(model, x, data.featureNames.length, r);
  return out;
}

/** y depends on features 0..2 (with NaNs in feature 1); features 3..5 are noise. */
function synthetic(n: number, seed: number, kind: 'binary' | 'regression'): TrainData {
  const rng = new Random(seed);
  const d = 6;
  const x = new Float64Array(n * d);
  const label = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < d; f++) x[i * d + f] = rng.next() * 2 - 1;
    if (rng.next() < 0.15) x[i * d + 1] = Number.NaN;
    const x1 = Number.isNaN(x[i * d + 1]) ? 0.8 : x[i * d + 1];
    const z = 2 * x[i * d] - 1.5 * x1 + (x[i * d + 2] > 0.3 ? 1 : -1);
    label[i] = kind === 'binary' ? (z + 0.3 * (rng.next() - 0.5) > 0 ? 1 : 0) : z + 0.1 * (rng.next() - 0.5);
  }
  return { features: x, numRows: n, featureNames: ['a', 'b', 'c', 'd', 'e', 'f'], label };
}

describe('train (binary)', () => {
  const trainSet = synthetic(3000, 1, 'binary');
  const validSet = synthetic(1500, 2, 'binary');
  const result = train(
    trainSet,
    { objective: 'binary', num_trees: 40, num_leaves: 15, metric: 'auc,binary_logloss', seed: 7 },
    { valid: validSet },
  );
  const model = result.model;

  it('reaches a high held-out AUC on a separable problem', () => {
    expect(auc(predictAll(model, validSet), validSet.label)).toBeGreaterThan(0.97);
    expect(result.evalHistory.auc).toHaveLength(40);
  });

  it('reports validation metrics that agree with a value-space prediction of the model', () => {
    const probs = predictAll(model, validSet);
    expect(result.evalHistory.auc[39]).toBeCloseTo(auc(probs, validSet.label), 12);
  });

  it('writes LightGBM-shaped trees: header, NaN missing type, consistent counts', () => {
    expect(model.objectiveLine).toBe('binary sigmoid:1');
    expect(model.featureInfos).toHaveLength(6);
    expect(model.featureInfos[0]).toMatch(/^\[-0\.9\d*:0\.9\d*\]$/);
    const usesNanFeature = model.trees.some((t) =>
      Array.from(t.splitFeature).some(
        (f, i) => f === 1 && missingTypeOf(t.decisionType[i]) === MissingType.NaN,
      ),
    );
    expect(usesNanFeature).toBe(true);
    for (const [i, t] of model.trees.entries()) {
      expect(t.leafValue).toHaveLength(t.numLeaves);
      expect(t.splitFeature).toHaveLength(t.numLeaves - 1);
      expect(t.leafCount.reduce((a, b) => a + b, 0)).toBe(3000);
      expect(t.internalCount[0]).toBe(3000);
      // LightGBM writes shrinkage=1 on the tree that received the init score
      expect(t.shrinkage).toBe(i === 0 ? 1 : 0.1);
      for (let node = 0; node < t.numLeaves - 1; node++) {
        expect(t.splitGain[node]).toBeGreaterThan(0);
        const childCount = (c: number) => (c < 0 ? t.leafCount[~c] : t.internalCount[c]);
        expect(childCount(t.leftChild[node]) + childCount(t.rightChild[node])).toBe(t.internalCount[node]);
        if (missingTypeOf(t.decisionType[node]) === MissingType.None)
          expect(isDefaultLeft(t.decisionType[node])).toBe(true);
      }
    }
    expect(model.parameters.num_iterations).toBe('40');
  });

  it('folds the average into the first tree (init score = log-odds of the base rate)', () => {
    const pos = trainSet.label.reduce((a, b) => a + b, 0) / 3000;
    const init = Math.log(pos / (1 - pos));
    const t0 = model.trees[0];
    // The root's internal value is the shrunk root output plus the init score; the root output is small.
    expect(Math.abs(t0.internalValue[0] - init)).toBeLessThan(0.1);
    expect(Math.abs(model.trees[1].internalValue[0])).toBeLessThan(0.1);
  });

  it('is deterministic: two runs give bit-identical trees, also with bagging and feature_fraction', () => {
    const params = {
      objective: 'binary',
      num_iterations: 10,
      bagging_fraction: 0.7,
      bagging_freq: 1,
      feature_fraction: 0.5,
      seed: 3,
    };
    const a = train(trainSet, params).model;
    const b = train(trainSet, params).model;
    expect(a.trees.length).toBe(b.trees.length);
    a.trees.forEach((t, i) => {
      expect(Buffer.from(t.leafValue.buffer)).toEqual(Buffer.from(b.trees[i].leafValue.buffer));
      expect(Buffer.from(t.threshold.buffer)).toEqual(Buffer.from(b.trees[i].threshold.buffer));
      expect(Array.from(t.splitFeature)).toEqual(Array.from(b.trees[i].splitFeature));
    });
    const c = train(trainSet, { ...params, seed: 4 }).model;
    expect(c.trees.map((t) => Array.from(t.splitFeature).join())).not.toEqual(
      a.trees.map((t) => Array.from(t.splitFeature).join()),
    );
  });
});

describe('train (early stopping)', () => {
  it('stops once the validation metric stops improving and keeps the best iteration', () => {
    const trainSet = synthetic(800, 5, 'binary');
    // Labels of the validation set are shuffled noise, so the model overfits it quickly.
    const validSet = synthetic(400, 6, 'binary');
    const rng = new Random(9);
    for (let i = 0; i < validSet.numRows; i++) validSet.label[i] = rng.next() < 0.5 ? 1 : 0;
    const res = train(
      trainSet,
      { objective: 'binary', num_iterations: 500, early_stopping_round: 5, metric: 'binary_logloss' },
      { valid: validSet },
    );
    expect(res.model.trees.length).toBeLessThan(500);
    expect(res.bestIteration).toBe(res.model.trees.length);
    const history = res.evalHistory.binary_logloss;
    expect(history).toHaveLength(res.bestIteration);
    expect(Math.min(...history)).toBe(history[history.length - 1]);
  });
});

describe('train (regression)', () => {
  it('reduces L2 well below the variance and matches its value-space predictions', () => {
    const trainSet = synthetic(2000, 11, 'regression');
    const validSet = synthetic(1000, 12, 'regression');
    const res = train(
      trainSet,
      { objective: 'regression', n_estimators: 50, learning_rate: 0.2, metric: 'l2' },
      { valid: validSet },
    );
    const mean = validSet.label.reduce((a, b) => a + b, 0) / validSet.numRows;
    const variance = l2(new Float64Array(validSet.numRows).fill(mean), validSet.label);
    const pred = predictAll(res.model, validSet);
    expect(l2(pred, validSet.label)).toBeLessThan(0.1 * variance);
    expect(res.evalHistory.l2[49]).toBeCloseTo(l2(pred, validSet.label), 10);
    expect(res.model.objectiveLine).toBe('regression');
  });
});

describe('train (lambdarank)', () => {
  it('ranks better than random by NDCG', () => {
    const rng = new Random(21);
    const queries = 120;
    const size = 10;
    const n = queries * size;
    const d = 4;
    const x = new Float64Array(n * d);
    const label = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < d; f++) x[i * d + f] = rng.next();
      label[i] = Math.min(3, Math.floor(4 * x[i * d] * x[i * d] + rng.next() * 0.5));
    }
    const group = new Int32Array(queries).fill(size);
    const data: TrainData = { features: x, numRows: n, featureNames: ['a', 'b', 'c', 'd'], label, group };
    const res = train(data, { objective: 'lambdarank', num_iterations: 20, min_data_in_leaf: 5 });
    const bounds = Int32Array.from({ length: queries + 1 }, (_, q) => q * size);
    const random = Float64Array.from({ length: n }, () => rng.next());
    const model = ndcgAtK(predictAll(res.model, data), label, bounds, 5, [0, 1, 3, 7]);
    expect(model).toBeGreaterThan(ndcgAtK(random, label, bounds, 5, [0, 1, 3, 7]) + 0.2);
    expect(res.model.objectiveLine).toBe('lambdarank');
  });
});

describe('train (parameters)', () => {
  it('rejects an unknown parameter by name', () => {
    const data = synthetic(50, 1, 'binary');
    try {
      train(data, { objective: 'binary', max_cat_thresholds: 4 });
      expect.unreachable();
    } catch (err) {
      expect(isAmlError(err) && err.code).toBe('AML_ERR_GBDT_PARAM');
      expect((err as Error).message).toContain('max_cat_thresholds');
    }
  });

  it('names the feature a categorical or monotone setting gets wrong', () => {
    const data = synthetic(50, 1, 'binary');
    const messageOf = (params: Record<string, unknown>) => {
      try {
        train(data, { objective: 'binary', ...params });
      } catch (err) {
        expect(isAmlError(err) && err.code).toBe('AML_ERR_GBDT_PARAM');
        return (err as Error).message;
      }
      return expect.unreachable();
    };
    expect(messageOf({ categorical_feature: 'name:nope' })).toContain('no feature named "nope"');
    expect(messageOf({ categorical_feature: '7' })).toContain('"7" is not a feature index below');
    expect(messageOf({ monotone_constraints: '1' })).toContain('one per feature');
  });
});
