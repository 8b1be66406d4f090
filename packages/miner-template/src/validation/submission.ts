/**
 * `validate-submission`: rehearses a validator cycle against a miner before it goes live. It builds
 * a generated batch, mixes in traps exactly as the validator does, scores it (through a running
 * API or the local model files), runs the same tier 1 and tier 2 checks the validator runs, and
 * scores the batch a second time to check the answers are bit-identical (latency aside).
 */
import type { Batch } from '../data/batch.js';
import { generateBatch } from '../synthetic/generate.js';
import { generateTraps } from '../synthetic/traps.js';
import { mixTraps } from './mix-traps.js';
import { checkTier1, type Tier1Result } from './tier1.js';
import { checkTier2, type Tier2Result } from './tier2.js';

/** Anything that scores a batch: an HTTP client of a miner API, or the local models. */
export interface SubmissionScorer {
  readonly description: string;
  scoreAlerts(batch: Batch): Promise<unknown>;
}

export interface SubmissionOptions {
  alerts: number;
  traps: number;
  seed: number;
  date: string;
  network?: string;
  timeoutMs?: number;
}

export interface SubmissionReport {
  scorer: string;
  alerts: number;
  traps: number;
  elapsedMs: number;
  tier1: Tier1Result;
  tier2?: Tier2Result;
  /** 0.2·t1 + 0.3·t2, the immediate score the validator would give. */
  immediate: number;
  deterministic: { ok: boolean; detail: string };
  passed: boolean;
}

/** Everything but latency_ms, which measures the run rather than the answer. */
function withoutLatency(answer: unknown): string {
  if (!Array.isArray(answer)) return JSON.stringify(answer);
  return JSON.stringify(
    answer.map((e) => (e && typeof e === 'object' ? { ...e, latency_ms: undefined } : e)),
  );
}

export async function validateSubmission(
  scorer: SubmissionScorer,
  options: SubmissionOptions,
): Promise<SubmissionReport> {
  const network = options.network ?? 'torus';
  const { batch } = generateBatch({
    network,
    date: options.date,
    alerts: options.alerts,
    seed: options.seed,
  });
  const traps = generateTraps({
    seed: options.seed + 1,
    count: options.traps,
    date: options.date,
    network,
    template: batch,
  });
  const mixed = mixTraps(batch, traps, options.seed + 2);
  const alertIds = mixed.batch.alerts.map((a) => a.alert_id);

  const started = performance.now();
  const first = await scorer.scoreAlerts(mixed.batch);
  const elapsedMs = performance.now() - started;
  const tier1 = checkTier1({
    requestedAlertIds: alertIds,
    answer: first,
    elapsedMs,
    timeoutMs: options.timeoutMs,
  });
  const tier2 = tier1.passed
    ? checkTier2({ alertIds, scores: tier1.scores!, trapTruth: mixed.truth })
    : undefined;

  const second = await scorer.scoreAlerts(mixed.batch);
  const same = withoutLatency(first) === withoutLatency(second);
  return {
    scorer: scorer.description,
    alerts: batch.alerts.length,
    traps: traps.alerts.length,
    elapsedMs,
    tier1,
    tier2,
    immediate: 0.2 * tier1.t1 + 0.3 * (tier2?.t2 ?? 0),
    deterministic: {
      ok: same,
      detail: same
        ? 'two runs gave bit-identical answers (latency_ms aside)'
        : 'two runs on the same batch gave different answers',
    },
    passed: tier1.passed && same,
  };
}
