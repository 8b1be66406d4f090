/**
 * The boosting loop (LightGBM's GBDT::Train/TrainOneIter): bin the data, start from the average
 * score, then per iteration compute gradients, draw the bag and the feature subset, grow a tree,
 * shrink it, update training and validation scores, evaluate and check early stopping. The init
 * score is folded into the first tree's outputs, as LightGBM does, so the model alone reproduces
 * the scores.
 */
import { amlError, ERRORS } from '../../errors.js';
import { binTrainingData, binWithMappers } from '../dataset/binned-dataset.js';
import { queryBoundaries, type TrainData, validateTrainData } from '../dataset/train-data.js';
import { createEvaluator, type Evaluator } from '../metric/evaluator.js';
import type { GbdtModel, GbdtTree } from '../model.js';
import { createObjective } from '../objective/index.js';
import {
  defaultLabelGain,
  effectiveMetrics,
  type GbdtParams,
  type GbdtParamsInput,
  parseGbdtParams,
} from '../params.js';
import { SerialTreeLearner } from '../treelearner/serial-tree-learner.js';
import { addTreeScores, addTreeScoresByPartition } from './binned-scorer.js';
import { EarlyStopping } from './early-stopping.js';
import { categoricalFeatures, monotoneDirections } from './feature-options.js';
import { assembleModel } from './model-assembly.js';
import { lightgbmBaggingSeed, lightgbmDataSeed, lightgbmFeatureFractionSeed } from './random.js';
import { FeatureSampler, RowBagger } from './sampling.js';

export interface IterationInfo {
  /** 1-based number of trees trained so far. */
  iteration: number;
  /** Validation metrics by name (empty without a validation set). */
  metrics: Record<string, number>;
  elapsedMs: number;
  etaMs: number;
}

export interface TrainOptions {
  valid?: TrainData;
  onIteration?: (info: IterationInfo) => void;
}

export interface TrainResult {
  model: GbdtModel;
  /** Number of trees kept: the best iteration (1-based) after early stopping, else all trained. */
  bestIteration: number;
  /** Validation metric name -> value after each iteration. */
  evalHistory: Record<string, number[]>;
}

/** Trains a GBDT. Same data, parameters and seed give a bit-identical model. */
export function train(
  data: TrainData,
  paramsInput: GbdtParamsInput | GbdtParams,
  options: TrainOptions = {},
): TrainResult {
  const started = Date.now();
  const params = parseGbdtParams(paramsInput as GbdtParamsInput);
  validateTrainData(data, 'train');
  if (options.valid !== undefined) {
    validateTrainData(options.valid, 'valid');
    if (options.valid.featureNames.length !== data.featureNames.length) {
      throw amlError(ERRORS.AML_ERR_GBDT_DATA, [
        `valid: expected ${data.featureNames.length} features, got ${options.valid.featureNames.length}`,
      ]);
    }
  }
  const objective = createObjective(params, asFloat32Labels(data));
  const dataset = binTrainingData(data, {
    maxBin: params.max_bin,
    minDataInBin: params.min_data_in_bin,
    sampleCount: params.bin_construct_sample_cnt,
    seed: params.data_random_seed ?? lightgbmDataSeed(params.seed),
    useMissing: params.use_missing,
    zeroAsMissing: params.zero_as_missing,
    minSplitData: params.feature_pre_filter ? params.min_data_in_leaf : 0,
    categorical: categoricalFeatures(params, data.featureNames),
  });
  const monotone = monotoneDirections(params, data.featureNames.length);
  const validSet = options.valid !== undefined ? binWithMappers(options.valid, dataset.mappers) : undefined;
  const evaluator = validSet && options.valid ? makeEvaluator(params, options.valid) : undefined;

  const n = data.numRows;
  const initScore = params.boost_from_average ? objective.initScore() : 0;
  const scores = new Float64Array(n).fill(initScore);
  const validScores = validSet ? new Float64Array(validSet.numRows).fill(initScore) : undefined;
  const learner = new SerialTreeLearner(dataset, {
    numLeaves: params.num_leaves,
    maxDepth: params.max_depth,
    minDataInLeaf: params.min_data_in_leaf,
    minSumHessianInLeaf: params.min_sum_hessian_in_leaf,
    lambdaL1: params.lambda_l1,
    lambdaL2: params.lambda_l2,
    minGainToSplit: params.min_gain_to_split,
    pathSmooth: params.path_smooth,
    ...(monotone === undefined ? {} : { monotone }),
    maxCatToOnehot: params.max_cat_to_onehot,
    catSmooth: params.cat_smooth,
    catL2: params.cat_l2,
    maxCatThreshold: params.max_cat_threshold,
    minDataPerGroup: params.min_data_per_group,
  });
  // one copy of the bins in memory: the learner's (its histogram kernel copied them)
  dataset.bins = learner.bins;
  const { grad, hess } = learner;
  const bagger = new RowBagger(
    n,
    params.bagging_fraction,
    params.bagging_freq,
    params.bagging_seed ?? lightgbmBaggingSeed(params.seed),
  );
  const featureSampler = new FeatureSampler(
    dataset.usedFeatures,
    params.feature_fraction,
    params.feature_fraction_seed ?? lightgbmFeatureFractionSeed(params.seed),
  );
  const stopper = new EarlyStopping(
    params.early_stopping_round,
    evaluator?.higherIsBetter ?? [],
    params.first_metric_only,
  );
  const evalHistory: Record<string, number[]> = {};
  for (const name of evaluator?.names ?? []) evalHistory[name] = [];

  const trees: GbdtTree[] = [];
  const lr = params.learning_rate;
  let bestIteration = -1;
  for (let iter = 0; iter < params.num_iterations; iter++) {
    objective.gradients(scores, grad, hess);
    toFloat32(grad);
    toFloat32(hess);
    const rows = bagger.rowsFor(iter);
    const grown = learner.train(grad, hess, rows, featureSampler.next());
    if (grown.numLeaves <= 1) {
      // Nothing left to split: LightGBM keeps a constant first tree (holding the init score) and stops.
      if (trees.length === 0) {
        grown.setRoot(0, grown.leafWeight[0], grown.leafCount[0]);
        trees.push(grown.finish(1, initScore));
      }
      break;
    }
    trees.push(grown.finish(lr, iter === 0 ? initScore : 0));
    if (rows === null) {
      const part = learner.partition;
      addTreeScoresByPartition(grown, lr, part.indices, part.leafBegin, part.leafCount, scores);
    } else addTreeScores(grown, lr, dataset, scores);
    const metrics: Record<string, number> = {};
    if (validSet && validScores && evaluator) {
      addTreeScores(grown, lr, validSet, validScores);
      const values = evaluator.evaluate(validScores);
      evaluator.names.forEach((name, m) => {
        metrics[name] = values[m];
        evalHistory[name].push(values[m]);
      });
      bestIteration = stopper.update(iter, values);
    }
    const elapsedMs = Date.now() - started;
    const done = iter + 1;
    options.onIteration?.({
      iteration: done,
      metrics,
      elapsedMs,
      etaMs: (elapsedMs / done) * (params.num_iterations - done),
    });
    if (bestIteration >= 0) break;
  }
  if (bestIteration >= 0) {
    trees.length = bestIteration + 1;
    for (const name of Object.keys(evalHistory)) evalHistory[name].length = bestIteration + 1;
  }
  const model = assembleModel(trees, objective, params, data.featureNames, dataset);
  return { model, bestIteration: trees.length, evalHistory };
}

/**
 * LightGBM keeps labels, weights, gradients and hessians as float32 (label_t, score_t) and sums
 * them in double; rounding ours the same way gives the same leaf sums and hence the same trees.
 */
function toFloat32(a: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] = Math.fround(a[i] as number);
  return a;
}

function asFloat32Labels(data: TrainData): TrainData {
  const label = toFloat32(Float64Array.from(data.label));
  const weight = data.weight === undefined ? undefined : toFloat32(Float64Array.from(data.weight));
  return { ...data, label, ...(weight === undefined ? {} : { weight }) };
}

function makeEvaluator(params: GbdtParams, valid: TrainData): Evaluator {
  return createEvaluator(
    effectiveMetrics(params),
    {
      objective: params.objective,
      sigmoid: params.sigmoid,
      evalAt: params.eval_at,
      labelGain: params.label_gain ?? defaultLabelGain(),
    },
    {
      label: valid.label,
      weight: valid.weight,
      bounds: valid.group ? queryBoundaries(valid.group) : undefined,
    },
  );
}
