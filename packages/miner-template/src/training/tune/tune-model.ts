/**
 * Hyperparameter search for one of the three models: prepares the tuning data once, then runs the
 * search loop with k-fold CV as the objective. Returns every trial and a summary ready to be
 * written as best_params.yaml. No file I/O here (see params-file.ts and trials-table.ts).
 */
import { amlError, ERRORS } from '../../errors.js';
import type { ModelName } from '../../schemas/api.js';
import type { LabelledBatch } from '../training-set.js';
import { crossValidate, prepareTuningData, TUNE_METRIC } from './cv-objective.js';
import type { SamplerName, TpeOptions } from './samplers.js';
import { runSearch, type SearchProgress, type Trial } from './search.js';
import { defaultSearchSpace, type ParamValues, type SearchSpace } from './space.js';

export interface TuneModelOptions {
  task: ModelName;
  batches: readonly LabelledBatch[];
  /** Defaults to the model's default space (space.ts). */
  space?: SearchSpace;
  sampler?: SamplerName;
  trials: number;
  timeBudgetS?: number;
  folds?: number;
  seed?: number;
  /** Hold-out share kept away from tuning, as `train` holds it out (default 0.2, same as train). */
  testFraction?: number;
  /** Early-stopping slice of each fold's training rows (default 0.15, same as train). */
  validFraction?: number;
  featureSelection?: boolean;
  tpe?: Partial<TpeOptions>;
  onData?: (info: TuneDataInfo) => void;
  onTrial?: (progress: SearchProgress) => void;
  now?: () => number;
}

export interface TuneDataInfo {
  batches: string[];
  num_samples: number;
  num_positive: number;
  num_features: number;
  held_out_samples: number;
  data_hash: string;
}

export interface TuneModelResult {
  task: ModelName;
  metric: string;
  sampler: SamplerName;
  seed: number;
  folds: number;
  best: Trial;
  /** The best parameters, as `train --params-file` merges them under DEFAULT_PARAMS. */
  bestParams: ParamValues;
  trials: Trial[];
  stoppedBy: 'trials' | 'time';
  space: SearchSpace;
  data: TuneDataInfo;
}

export function tuneModel(options: TuneModelOptions): TuneModelResult {
  const { task } = options;
  const seed = options.seed ?? 42;
  const folds = options.folds ?? 3;
  const sampler = options.sampler ?? 'tpe';
  const space = options.space ?? defaultSearchSpace(task);
  if (!Number.isInteger(options.trials) || options.trials < 1)
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [`expected at least 1 trial, got ${options.trials}`]);
  if (!Number.isInteger(folds) || folds < 2)
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [`expected at least 2 folds, got ${folds}`]);
  const tuning = prepareTuningData(task, options.batches, {
    seed,
    testFraction: options.testFraction ?? 0.2,
    featureSelection: options.featureSelection !== false,
  });
  const data: TuneDataInfo = {
    batches: options.batches.map(
      ({ batch: b }) => `${b.key.network}/${b.key.processing_date}/${b.key.window_days}`,
    ),
    num_samples: tuning.set.numRows,
    num_positive: tuning.numPositive,
    num_features: tuning.set.names.length,
    held_out_samples: tuning.heldOutRows,
    data_hash: tuning.dataHash,
  };
  options.onData?.(data);
  if (tuning.set.numRows < folds * 2 || tuning.numPositive < folds)
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      `too little data for ${folds}-fold CV: ${tuning.set.numRows} rows, ${tuning.numPositive} positives`,
    ]);
  const search = runSearch({
    space,
    sampler,
    trials: options.trials,
    ...(options.timeBudgetS !== undefined ? { timeBudgetMs: options.timeBudgetS * 1000 } : {}),
    seed,
    ...(options.tpe ? { tpe: options.tpe } : {}),
    objective: (params) =>
      crossValidate(task, tuning.set, params, { folds, seed, validFraction: options.validFraction ?? 0.15 }),
    ...(options.onTrial ? { onTrial: options.onTrial } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  if (!search.best) {
    const reasons = [...new Set(search.trials.map((t) => t.error ?? 'no finite score'))].join('; ');
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [`every tuning trial failed: ${reasons}`]);
  }
  return {
    task,
    metric: TUNE_METRIC[task],
    sampler,
    seed,
    folds,
    best: search.best,
    bestParams: search.best.params,
    trials: search.trials,
    stoppedBy: search.stoppedBy,
    space,
    data,
  };
}
