/**
 * `aml-miner tune scorer|ranker|cluster`: hyperparameter search (TPE or random) with k-fold CV on
 * the training part of labelled batch folders, within a trial and a time budget. Writes the best
 * parameters as YAML (for `aml-miner train --params-file`) and a CSV with one row per trial.
 */

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../data/fs-atomic.js';
import { amlError, ERRORS } from '../../errors.js';
import { TUNE_METRIC } from '../../training/tune/cv-objective.js';
import { formatBestParamsYaml, readSearchSpaceFile } from '../../training/tune/params-file.js';
import { SAMPLERS, type SamplerName } from '../../training/tune/samplers.js';
import type { SearchProgress } from '../../training/tune/search.js';
import { formatTrialsCsv } from '../../training/tune/trials-table.js';
import { tuneModel } from '../../training/tune/tune-model.js';
import { checkedFlag, integerFlag, numberFlag } from '../flags.js';
import {
  type LabelledBatchFlags,
  modelArgument,
  readLabelledBatches,
  windowDaysFlag,
} from '../labelled-batches.js';
import { createProgress, type Progress } from '../progress.js';

export interface TuneFlags extends LabelledBatchFlags {
  trials: string;
  timeBudgetS?: string;
  folds: string;
  sampler: string;
  nStartup: string;
  seed: string;
  space?: string;
  out: string;
  trialsOut: string;
  quiet?: boolean;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function trialLine(metric: string, p: SearchProgress): string {
  const { trial, best } = p;
  const score = trial.error
    ? `failed: ${trial.error}`
    : `${metric}=${trial.mean.toFixed(4)}±${trial.std.toFixed(4)}`;
  const bestText = best ? `best=${best.mean.toFixed(4)} (#${best.id})` : 'best=none';
  const params = Object.entries(trial.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return (
    `trial ${p.done}/${p.total} [${trial.sampler}] ${score} ${bestText} ` +
    `${trial.seconds.toFixed(1)}s eta ${duration(p.etaMs)} | ${params}`
  );
}

async function writeOut(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text);
}

/** Runs a tuning job from CLI flags; returns the summary line. Exported for tests. */
export async function runTune(model: string, flags: TuneFlags, progress?: Progress): Promise<string> {
  const task = modelArgument(model);
  if (!(SAMPLERS as readonly string[]).includes(flags.sampler))
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      `--sampler must be one of ${SAMPLERS.join(', ')}, got "${flags.sampler}"`,
    ]);
  const trials = checkedFlag(integerFlag('--trials', 1), flags.trials);
  const folds = checkedFlag(integerFlag('--folds', 2), flags.folds);
  const seed = checkedFlag(integerFlag('--seed', 0), flags.seed);
  const nStartup = checkedFlag(integerFlag('--n-startup', 1), flags.nStartup);
  windowDaysFlag(flags.windowDays);
  const timeBudgetS =
    flags.timeBudgetS === undefined
      ? undefined
      : checkedFlag(numberFlag('--time-budget-s', 'positive'), flags.timeBudgetS);
  const space = flags.space ? await readSearchSpaceFile(flags.space) : undefined;
  const out = progress ?? createProgress(`tune ${model}`, { quiet: flags.quiet });

  const batches = await readLabelledBatches(flags, (line) => out.log(line));

  const result = tuneModel({
    task,
    batches,
    ...(space ? { space } : {}),
    sampler: flags.sampler as SamplerName,
    trials,
    ...(timeBudgetS !== undefined ? { timeBudgetS } : {}),
    folds,
    seed,
    tpe: { nStartup },
    onData: (data) =>
      out.log(
        `tuning on ${data.num_samples} rows (${data.num_positive} positive) × ${data.num_features} features; ` +
          `${data.held_out_samples} rows held out for train's test split`,
      ),
    onTrial: (p) => out.log(trialLine(TUNE_METRIC[task], p)),
  });
  await writeOut(flags.out, formatBestParamsYaml(result));
  await writeOut(flags.trialsOut, formatTrialsCsv(result.trials, result.space, result.metric));
  const stop =
    result.stoppedBy === 'time' ? ` (time budget reached after ${result.trials.length} trials)` : '';
  const summary =
    `best ${result.metric}=${result.best.mean.toFixed(4)}±${result.best.std.toFixed(4)} (trial #${result.best.id})${stop}; ` +
    `wrote ${flags.out} and ${flags.trialsOut}`;
  out.done(summary);
  return summary;
}

/** The command's action, loaded only when the command runs. */
export async function tuneAction(model: string, flags: TuneFlags): Promise<void> {
  await runTune(model, flags);
}
