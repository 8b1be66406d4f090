/**
 * Tier 1, integrity (docs/validator.md): a fail-fast 0/1 check of one miner's answer to a score_alerts
 * request. Shared by the validator and `aml-miner validate-submission`, so a miner can see before
 * submitting exactly what the validator will see. Pure: the caller supplies the parsed answer and
 * the timing it measured.
 */

export const TIER1_MAX_MEAN_LATENCY_MS = 100;
export const TIER1_DEFAULT_TIMEOUT_MS = 120_000;

export type Tier1FailureCode =
  | 'timeout'
  | 'request_failed'
  | 'not_a_list'
  | 'malformed_entry'
  | 'count_mismatch'
  | 'duplicate_alert_id'
  | 'unknown_alert_id'
  | 'missing_alert_id'
  | 'score_out_of_range'
  | 'empty_model_version'
  | 'latency_too_high';

export interface Tier1Failure {
  code: Tier1FailureCode;
  message: string;
  /** Offending alert ids (at most a handful, for the report). */
  alertIds?: string[];
}

export interface Tier1Input {
  /** The alert ids the request carried, in request order. */
  requestedAlertIds: readonly string[];
  /** The answer's `scores` as parsed from JSON (unknown: a miner may send anything). */
  answer: unknown;
  /** Wall time from send to full answer, as the validator measured it. */
  elapsedMs: number;
  timeoutMs?: number;
  maxMeanLatencyMs?: number;
}

export interface Tier1Result {
  passed: boolean;
  /** 1 when passed, else 0. */
  t1: 0 | 1;
  failure?: Tier1Failure;
  /** Score per requested alert, aligned with requestedAlertIds (only when passed). */
  scores?: Float64Array;
  modelVersion?: string;
  meanLatencyMs?: number;
}

const MAX_IDS_IN_REPORT = 5;

function fail(code: Tier1FailureCode, message: string, alertIds?: string[]): Tier1Result {
  return {
    passed: false,
    t1: 0,
    failure: { code, message, ...(alertIds ? { alertIds: alertIds.slice(0, MAX_IDS_IN_REPORT) } : {}) },
  };
}

interface Entry {
  alert_id: string;
  score: number;
  model_version: string;
  latency_ms: number;
}

function asEntry(value: unknown): Entry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.alert_id !== 'string' || typeof v.score !== 'number') return undefined;
  return {
    alert_id: v.alert_id,
    score: v.score,
    model_version: typeof v.model_version === 'string' ? v.model_version : '',
    latency_ms: typeof v.latency_ms === 'number' ? v.latency_ms : Number.NaN,
  };
}

export function checkTier1(input: Tier1Input): Tier1Result {
  const timeoutMs = input.timeoutMs ?? TIER1_DEFAULT_TIMEOUT_MS;
  const maxLatency = input.maxMeanLatencyMs ?? TIER1_MAX_MEAN_LATENCY_MS;
  if (!(input.elapsedMs <= timeoutMs)) {
    return fail('timeout', `answer took ${input.elapsedMs} ms, over the ${timeoutMs} ms timeout`);
  }
  if (!Array.isArray(input.answer)) return fail('not_a_list', 'expected a list of score entries');
  const requested = input.requestedAlertIds;
  if (input.answer.length !== requested.length) {
    return fail('count_mismatch', `expected ${requested.length} entries, got ${input.answer.length}`);
  }
  const position = new Map<string, number>();
  for (let i = 0; i < requested.length; i++) position.set(requested[i], i);

  const scores = new Float64Array(requested.length);
  const seen = new Uint8Array(requested.length);
  let modelVersion: string | undefined;
  let latencySum = 0;
  for (let i = 0; i < input.answer.length; i++) {
    const entry = asEntry(input.answer[i]);
    if (!entry) return fail('malformed_entry', `entry ${i} lacks a string alert_id or a numeric score`);
    const at = position.get(entry.alert_id);
    if (at === undefined)
      return fail('unknown_alert_id', 'answer names alerts that were not requested', [entry.alert_id]);
    if (seen[at]) return fail('duplicate_alert_id', 'answer names an alert twice', [entry.alert_id]);
    seen[at] = 1;
    if (!Number.isFinite(entry.score) || entry.score < 0 || entry.score > 1) {
      return fail('score_out_of_range', `score ${entry.score} is not a finite number in [0, 1]`, [
        entry.alert_id,
      ]);
    }
    if (entry.model_version.trim() === '') {
      return fail('empty_model_version', 'model_version is empty', [entry.alert_id]);
    }
    modelVersion ??= entry.model_version;
    latencySum += Number.isFinite(entry.latency_ms) ? entry.latency_ms : Number.POSITIVE_INFINITY;
    scores[at] = entry.score;
  }
  // Counts are equal and no id repeats, so every requested id was seen; kept as a guard.
  const missing = requested.filter((_, i) => seen[i] === 0);
  if (missing.length > 0) return fail('missing_alert_id', 'answer omits requested alerts', missing);

  const meanLatencyMs = requested.length === 0 ? 0 : latencySum / requested.length;
  if (!(meanLatencyMs <= maxLatency)) {
    return fail('latency_too_high', `mean latency_ms ${meanLatencyMs} is over ${maxLatency}`);
  }
  return { passed: true, t1: 1, scores, modelVersion, meanLatencyMs };
}
