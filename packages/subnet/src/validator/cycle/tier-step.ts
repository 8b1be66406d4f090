/**
 * Step 3 of a cycle: tier 1 and tier 2 for every stored answer and for the reference (docs/
 * validator.md), and the copy verdicts. Copies are judged on the real alerts only, among the
 * tier-1 passers, against two anchors (the reference and the batch's previous canonical scores,
 * whose own contributors may match it); credit in a copy group goes to the earliest registration.
 * A copy scores 0 for the whole cycle. Pure.
 */

import type { Alert } from '@aml/miner-template/schemas';
import {
  type CopyAnchor,
  checkTier1,
  checkTier2,
  detectCopies,
  REFERENCE_MODEL_VERSION,
  referenceScores,
  type Tier1Result,
} from '@aml/miner-template/tiers';
import { immediateScore } from '../scoring/performance.js';
import type { AnswerRecord, TierRecord } from '../store/types.js';

export const REFERENCE_HOTKEY = '@reference';
export const CANONICAL_ANCHOR = '@canonical';
export const REFERENCE_UID = -1;

export interface TierInputs {
  answers: readonly AnswerRecord[];
  /** Alert ids of the request, in request order. */
  alertIds: readonly string[];
  /** Request ids of the real alerts (copies are judged on these). */
  realAliases: readonly string[];
  trapTruth: ReadonlyMap<string, 0 | 1>;
  timeoutMs: number;
  /** Registration block per hotkey (lower keeps a copy group's credit). */
  registeredAt: ReadonlyMap<string, number>;
  /** The batch's canonical scores so far, by request id, and the miners that made them. */
  previousCanonical?: { scores: ReadonlyMap<string, number>; contributors: ReadonlySet<string> };
}

/** The reference's answer as a stored answer, so it goes through every tier like a miner's. */
export function referenceAnswer(alerts: readonly Alert[], seed: number): AnswerRecord {
  const scores = referenceScores(alerts, seed);
  return {
    hotkey: REFERENCE_HOTKEY,
    uid: REFERENCE_UID,
    statusCode: 200,
    elapsedMs: 0,
    modelVersion: REFERENCE_MODEL_VERSION,
    answer: alerts.map((a, i) => ({
      alert_id: a.alert_id,
      score: scores[i],
      model_version: REFERENCE_MODEL_VERSION,
      latency_ms: 0,
    })),
    error: null,
  };
}

/** An answer after tier 1: its bookkeeping and the tier-1 result, the miner's entries let go. */
export interface CheckedAnswer {
  hotkey: string;
  uid: number;
  tier1: Tier1Result;
}

/**
 * Tier 1 of one answer. The cycle calls it as it reads each answer from the store and keeps only
 * the result (a passer's scores as one Float64Array), so the miners' entry lists, 50,000 objects
 * each at mainnet batch sizes, are never all in memory together.
 */
export function checkAnswer(
  a: AnswerRecord,
  inputs: Pick<TierInputs, 'alertIds' | 'timeoutMs'>,
): CheckedAnswer {
  return { hotkey: a.hotkey, uid: a.uid, tier1: tier1Of(a, inputs) };
}

function tier1Of(a: AnswerRecord, inputs: Pick<TierInputs, 'alertIds' | 'timeoutMs'>): Tier1Result {
  if (a.statusCode !== 200)
    return {
      passed: false,
      t1: 0,
      failure: {
        code: a.statusCode === 408 ? 'timeout' : 'request_failed',
        message: `status ${a.statusCode}: ${a.error ?? ''}`.trim(),
      },
    };
  return checkTier1({
    requestedAlertIds: inputs.alertIds,
    answer: a.answer,
    elapsedMs: a.elapsedMs,
    timeoutMs: inputs.timeoutMs,
  });
}

export function computeTiers(inputs: TierInputs): TierRecord[] {
  return tiersOf(
    inputs.answers.map((a) => checkAnswer(a, inputs)),
    inputs,
  );
}

/** A passer's scores on the request's real alerts, in realAliases order. */
export function realScoresOf(alertIds: readonly string[], realAliases: readonly string[]) {
  const position = new Map(alertIds.map((id, i) => [id, i]));
  const realIndex = realAliases.map((id) => position.get(id)!);
  return (scores: Float64Array) => Float64Array.from(realIndex, (i) => scores[i]);
}

/** Tier 2 and the copy verdicts over answers already through tier 1 (computeTiers, in parts). */
export function tiersOf(
  checked: readonly CheckedAnswer[],
  inputs: Omit<TierInputs, 'answers'>,
): TierRecord[] {
  const t1 = checked.map((a) => a.tier1);
  const onReal = realScoresOf(inputs.alertIds, inputs.realAliases);

  const anchors: CopyAnchor[] = [];
  const reference = checked.findIndex((a) => a.hotkey === REFERENCE_HOTKEY);
  if (reference >= 0 && t1[reference].passed)
    anchors.push({ id: REFERENCE_HOTKEY, scores: onReal(t1[reference].scores!) });
  if (inputs.previousCanonical) {
    const { scores, contributors } = inputs.previousCanonical;
    anchors.push({
      id: CANONICAL_ANCHOR,
      scores: Float64Array.from(inputs.realAliases, (id) => scores.get(id) ?? Number.NaN),
      exempt: contributors,
    });
  }
  const candidates = checked
    .map((a, i) => ({ a, r: t1[i] }))
    .filter(({ a, r }) => r.passed && a.hotkey !== REFERENCE_HOTKEY)
    .map(({ a, r }) => ({
      minerId: a.hotkey,
      uid: a.uid,
      registeredAt: inputs.registeredAt.get(a.hotkey) ?? Number.MAX_SAFE_INTEGER,
      scores: onReal(r.scores!),
    }));
  const copies = new Map(detectCopies(candidates, anchors).map((v) => [v.minerId, v]));

  return checked.map((a, i) => {
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
        copyOf: null,
      };
    }
    const t2 = checkTier2({ alertIds: inputs.alertIds, scores: r.scores!, trapTruth: inputs.trapTruth });
    const copy = copies.get(a.hotkey);
    return {
      hotkey: a.hotkey,
      uid: a.uid,
      t1: 1,
      t1Failure: null,
      t2: t2.t2,
      t2Detail: {
        trapAuc: Number.isNaN(t2.trapAuc) ? null : t2.trapAuc,
        trapComponent: t2.trapComponent,
        behaviour: t2.behaviour,
        variance: t2.variance,
        distinct: t2.distinct,
        flags: t2.flags,
        copy: copy
          ? { of: copy.copyOf, rankCorrelation: copy.rankCorrelation, meanAbsDiff: copy.meanAbsDiff }
          : null,
        modelVersion: r.modelVersion,
        meanLatencyMs: r.meanLatencyMs,
      },
      immediate: immediateScore(1, t2.t2, copy !== undefined),
      copyOf: copy?.copyOf ?? null,
    };
  });
}
