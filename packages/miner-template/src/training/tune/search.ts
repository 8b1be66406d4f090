/**
 * The search loop, independent of what is being tuned: asks a sampler for parameters, runs the
 * objective, records the trial, and stops at the trial budget or once the time budget is spent (a
 * trial that has started always finishes). Each trial draws from its own Rng stream derived from
 * the seed and the trial number, so the same seed proposes the same sequence whatever the clock
 * does; only the recorded seconds differ between runs.
 */
import { Rng } from '../../random.js';
import {
  DEFAULT_TPE,
  type Observation,
  type SamplerName,
  suggestParams,
  type TpeOptions,
} from './samplers.js';
import { completeParams, type ParamValues, type SearchSpace } from './space.js';

export interface ObjectiveResult {
  /** Mean score across folds (higher is better). */
  mean: number;
  std: number;
  folds: number[];
  /** Extra per-trial facts worth keeping (e.g. the mean best iteration). */
  extra?: Record<string, number>;
}

export interface Trial {
  /** 1-based. */
  id: number;
  /** The strategy that proposed this trial (TPE's start-up trials are random). */
  sampler: SamplerName;
  params: ParamValues;
  mean: number;
  std: number;
  folds: number[];
  seconds: number;
  extra?: Record<string, number>;
  /** Why the objective failed; mean and std are NaN then. */
  error?: string;
}

export interface SearchProgress {
  trial: Trial;
  best: Trial | undefined;
  done: number;
  total: number;
  elapsedMs: number;
  /** Estimated time to finish: mean trial time × trials left, capped by the time budget left. */
  etaMs: number;
}

export interface SearchOptions {
  space: SearchSpace;
  sampler: SamplerName;
  trials: number;
  /** Stop starting trials once this much time has passed (unbounded when omitted). */
  timeBudgetMs?: number;
  seed: number;
  tpe?: Partial<TpeOptions>;
  objective: (params: ParamValues, trialId: number) => ObjectiveResult;
  onTrial?: (progress: SearchProgress) => void;
  /** Clock in ms, injectable for tests. */
  now?: () => number;
}

export interface SearchResult {
  trials: Trial[];
  /** Highest mean (the earliest on ties); undefined when every trial failed. */
  best: Trial | undefined;
  stoppedBy: 'trials' | 'time';
}

function better(a: Trial, b: Trial | undefined): boolean {
  return Number.isFinite(a.mean) && (b === undefined || a.mean > b.mean);
}

export function runSearch(options: SearchOptions): SearchResult {
  const now = options.now ?? Date.now;
  const tpe: TpeOptions = { ...DEFAULT_TPE, ...options.tpe };
  const started = now();
  const trials: Trial[] = [];
  const history: Observation[] = [];
  let best: Trial | undefined;
  let stoppedBy: SearchResult['stoppedBy'] = 'trials';
  for (let id = 1; id <= options.trials; id++) {
    if (options.timeBudgetMs !== undefined && now() - started >= options.timeBudgetMs) {
      stoppedBy = 'time';
      break;
    }
    const rng = new Rng(options.seed, `tune-trial-${id}`);
    const proposal = suggestParams(options.sampler, options.space, history, rng, tpe);
    const params = completeParams(proposal.params);
    const trialStart = now();
    let trial: Trial;
    try {
      const r = options.objective(params, id);
      trial = { id, sampler: proposal.by, params, mean: r.mean, std: r.std, folds: r.folds, seconds: 0 };
      if (r.extra) trial.extra = r.extra;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      trial = {
        id,
        sampler: proposal.by,
        params,
        mean: Number.NaN,
        std: Number.NaN,
        folds: [],
        seconds: 0,
        error,
      };
    }
    trial.seconds = (now() - trialStart) / 1000;
    trials.push(trial);
    // The sampler sees what it proposed (before completion), so its densities stay on the space.
    history.push({ params: proposal.params, score: trial.mean });
    if (better(trial, best)) best = trial;
    if (options.onTrial) {
      const elapsedMs = now() - started;
      let etaMs = (elapsedMs / id) * (options.trials - id);
      if (options.timeBudgetMs !== undefined)
        etaMs = Math.min(etaMs, Math.max(0, options.timeBudgetMs - elapsedMs));
      options.onTrial({ trial, best, done: id, total: options.trials, elapsedMs, etaMs });
    }
  }
  return { trials, best, stoppedBy };
}

/** Mean and sample standard deviation (n - 1; 0 for a single value). */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: Number.NaN, std: Number.NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length === 1) return { mean, std: 0 };
  const ss = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  return { mean, std: Math.sqrt(ss / (xs.length - 1)) };
}
