import { train } from '../../gbdt/boosting/gbdt.js';
import type { GbdtParamsInput } from '../../gbdt/params.js';
import type { ModelName } from '../../schemas/api.js';
import { DEFAULT_PARAMS } from '../defaults.js';
import { evaluateModel } from '../evaluate.js';
import { foldSplit, stratifiedFolds, stratifiedSplit } from '../split.js';
import { asTrainData, dataHash, selectedTrainingSet } from '../train-model.js';
import { type LabelledBatch, subsetRows, type TrainingSet } from '../training-set.js';
import { meanStd, type ObjectiveResult } from './search.js';
import type { ParamValues } from './space.js';

export const TUNE_METRIC: Readonly<Record<ModelName, 'average_precision' | 'ndcg_at_10'>> = {
  alert_scorer: 'average_precision',
  alert_ranker: 'ndcg_at_10',
  cluster_scorer: 'average_precision',
};

export interface TuningData {
  /** The training part (hold-out test rows removed), after feature selection. */
  set: TrainingSet;
  heldOutRows: number;
  numPositive: number;
  dataHash: string;
}

export function prepareTuningData(
  task: ModelName,
  batches: readonly LabelledBatch[],
  options: { seed: number; testFraction: number; featureSelection: boolean },
): TuningData {
  const { set } = selectedTrainingSet(task, batches, options.featureSelection);
  const split = stratifiedSplit(set.label, set.batchIndex, options.testFraction, options.seed);
  const trainPart = subsetRows(set, split.train);
  const positiveFrom = task === 'alert_ranker' ? 1 : 0;
  let numPositive = 0;
  for (let i = 0; i < trainPart.numRows; i++) if (trainPart.label[i] > positiveFrom) numPositive++;
  return { set: trainPart, heldOutRows: split.test.length, numPositive, dataHash: dataHash(trainPart) };
}

export interface CrossValidateOptions {
  folds: number;
  seed: number;
  validFraction: number;
}

/**
 * Scores one parameter set. The fold assignment depends only on the seed, so every trial is judged
 * on the same folds and differences between trials come from the parameters alone.
 */
export function crossValidate(
  task: ModelName,
  set: TrainingSet,
  trialParams: ParamValues,
  options: CrossValidateOptions,
): ObjectiveResult {
  const metric = TUNE_METRIC[task];
  const params: GbdtParamsInput = { ...DEFAULT_PARAMS[task], seed: options.seed, ...trialParams };
  const assignment = stratifiedFolds(set.label, set.batchIndex, options.folds, options.seed);
  const scores: number[] = [];
  const iterations: number[] = [];
  for (let f = 0; f < options.folds; f++) {
    const { train: trainIdx, test: testIdx } = foldSplit(assignment, f);
    const foldTrain = subsetRows(set, trainIdx);
    const inner = stratifiedSplit(
      foldTrain.label,
      foldTrain.batchIndex,
      options.validFraction,
      options.seed + 1 + f,
    );
    const result = train(asTrainData(subsetRows(foldTrain, inner.train)), params, {
      valid: asTrainData(subsetRows(foldTrain, inner.test)),
    });
    const score = evaluateModel(result.model, subsetRows(set, testIdx))[metric];
    // A fold without positives has no defined AUC-PR/NDCG; it says nothing about the parameters.
    if (score !== null && score !== undefined && Number.isFinite(score)) scores.push(score);
    iterations.push(result.bestIteration);
  }
  const { mean, std } = meanStd(scores);
  return { mean, std, folds: scores, extra: { best_iteration: meanStd(iterations).mean } };
}
