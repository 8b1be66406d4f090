/**
 * Step 3 of a cycle: tier 1 and tier 2 for every stored answer (SPEC §3), with plagiarism judged
 * across the tier-1 passers (the miner whose model_version was seen first keeps credit) and a
 * copy of the previous cycle's canonical ensemble counted as plagiarism too. Pure apart from the
 * store reads it is handed.
 */
import { checkTier1, checkTier2, detectPlagiarism, type Tier1Result } from '@aml/miner-template';
import { immediateScore } from '../scoring/cycle-score.js';
import type { AnswerRecord, TierRecord } from '../store/types.js';

export interface TierInputs {
  answers: readonly AnswerRecord[];
  /** Alert ids of the mixed batch, in request order. */
  alertIds: readonly string[];
  trapTruth: ReadonlyMap<string, 0 | 1>;
  timeoutMs: number;
  /** When each passer's model_version was first seen (earlier keeps credit). */
  firstSeen: ReadonlyMap<string, number>;
  /** Canonical scores of the previous cycle, when it scored the same alerts. */
  previousCanonical?: ReadonlyMap<string, number>;
}

/** A miner whose every score equals the previous canonical score (within float noise) copied it. */
function copiesCanonical(
  alertIds: readonly string[],
  scores: Float64Array,
  canonical: ReadonlyMap<string, number>,
): boolean {
  let shared = 0;
  for (let i = 0; i < alertIds.length; i++) {
    const c = canonical.get(alertIds[i]);
    if (c === undefined || Number.isNaN(c)) continue;
    if (Math.abs(c - scores[i]) > 1e-9) return false;
    shared++;
  }
  return shared >= 10;
}

export function computeTiers(inputs: TierInputs): TierRecord[] {
  const t1: Tier1Result[] = inputs.answers.map((a) =>
    a.statusCode === 200
      ? checkTier1({
          requestedAlertIds: inputs.alertIds,
          answer: a.answer,
          elapsedMs: a.elapsedMs,
          timeoutMs: inputs.timeoutMs,
        })
      : {
          passed: false,
          t1: 0,
          failure: {
            code: a.statusCode === 408 ? 'timeout' : 'request_failed',
            message: `status ${a.statusCode}: ${a.error ?? ''}`.trim(),
          },
        },
  );
  const passers = inputs.answers.map((a, i) => ({ a, r: t1[i] })).filter(({ r }) => r.passed);
  const verdicts = detectPlagiarism(
    passers.map(({ a, r }) => ({
      minerId: a.hotkey,
      firstSeen: inputs.firstSeen.get(a.hotkey) ?? Number.MAX_SAFE_INTEGER,
      scores: r.scores!,
    })),
  );
  const plagiarised = new Map(
    verdicts.map((v) => [v.minerId, `copies ${v.original} (r=${v.correlation.toFixed(4)})`]),
  );
  if (inputs.previousCanonical) {
    for (const { a, r } of passers) {
      if (
        !plagiarised.has(a.hotkey) &&
        copiesCanonical(inputs.alertIds, r.scores!, inputs.previousCanonical)
      ) {
        plagiarised.set(a.hotkey, 'copies the previous canonical ensemble');
      }
    }
  }
  return inputs.answers.map((a, i) => {
    const r = t1[i];
    if (!r.passed) {
      return {
        hotkey: a.hotkey,
        uid: a.uid,
        t1: 0,
        t1Failure: `${r.failure!.code}: ${r.failure!.message}`,
        t2: null,
        t2Detail: null,
        immediate: 0,
      };
    }
    const t2 = checkTier2({
      alertIds: inputs.alertIds,
      scores: r.scores!,
      trapTruth: inputs.trapTruth,
      plagiarised: plagiarised.has(a.hotkey),
    });
    return {
      hotkey: a.hotkey,
      uid: a.uid,
      t1: 1,
      t1Failure: null,
      t2: t2.t2,
      t2Detail: {
        trapAuc: Number.isNaN(t2.trapAuc) ? null : t2.trapAuc,
        behaviour: t2.behaviour,
        variance: t2.variance,
        median: t2.median,
        flags: t2.flags,
        plagiarism: plagiarised.get(a.hotkey) ?? null,
        modelVersion: r.modelVersion,
        meanLatencyMs: r.meanLatencyMs,
      },
      immediate: immediateScore(1, t2.t2),
    };
  });
}

/** Scores of a passing answer aligned with alertIds (NaN where an entry is missing). */
export function alignedScores(answer: unknown, alertIds: readonly string[]): Float64Array {
  const out = new Float64Array(alertIds.length).fill(Number.NaN);
  if (!Array.isArray(answer)) return out;
  const position = new Map(alertIds.map((id, i) => [id, i]));
  for (const entry of answer) {
    const e = entry as { alert_id?: unknown; score?: unknown };
    if (typeof e?.alert_id !== 'string' || typeof e.score !== 'number') continue;
    const i = position.get(e.alert_id);
    if (i !== undefined) out[i] = e.score;
  }
  return out;
}
