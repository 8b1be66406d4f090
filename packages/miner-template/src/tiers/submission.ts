/**
 * `validate-submission`: rehearses one validator cycle against a miner before it goes live. It
 * builds a labelled batch (our generator's, or the foreign producer's: a world the miner's model
 * was not made in), mixes in traps with the validator's own machinery (a synthetic trap pool
 * conformed to the batch, a 90 % sample of real alerts, ids reassigned), scores the request
 * through a running API or the local model files, and judges the answer exactly as a validator
 * does once labels are in: tier 1, tier 2, tier 3, the settled trap credit, a copy check against
 * the reference, and the cycle score next to the reference's. It scores the request a second time
 * to check the answers are bit-identical (latency aside).
 */
import type { Batch } from '../data/batch.js';
import { generateForeignBatch } from '../foreign/index.js';
import { type AddressLabel, isPositiveRiskLevel } from '../schemas/address-label.js';
import { generateBatch } from '../synthetic/generate.js';
import { compareAnswers, isCopyPair, type PairAgreement } from './copies.js';
import { cycleScore, settledTier2 } from './cycle-score.js';
import { REFERENCE_MODEL_VERSION, referenceScores } from './reference.js';
import { checkTier1, type Tier1Result } from './tier1.js';
import { checkTier2, type Tier2Result } from './tier2.js';
import { checkTier3, type Tier3Result } from './tier3.js';
import { assembleRequest, buildTrapPool, type CycleRequest, planCycle, poolSize } from './traps/pool.js';
import { syntheticMaterial } from './traps/synthetic-material.js';

/** Anything that scores a batch: an HTTP client of a miner API, or the local models. */
export interface SubmissionScorer {
  readonly description: string;
  scoreAlerts(batch: Batch): Promise<unknown>;
}

import type { Producer } from './producers.js';

export { PRODUCERS, type Producer } from './producers.js';

export interface SubmissionOptions {
  alerts: number;
  traps: number;
  seed: number;
  date: string;
  network?: string;
  /** Whose batch to rehearse on (default ours). */
  producer?: Producer;
  timeoutMs?: number;
}

/** How one answer (the miner's or the reference's) fares in the rehearsed cycle. */
export interface CycleJudgement {
  tier1: Tier1Result;
  tier2?: Tier2Result;
  /** Unknown (undefined) with too few labelled real alerts or one class only. */
  tier3?: Tier3Result;
  /** t2 with its trap credit confirmed by the labels. */
  t2Settled?: number;
  /** 0.2·t1 + 0.3·t2 (settled) + 0.5·t3. */
  score: number;
}

export interface SubmissionReport extends CycleJudgement {
  scorer: string;
  producer: Producer;
  alerts: number;
  traps: number;
  elapsedMs: number;
  /** 0.2·t1 + 0.3·t2, what the validator counts before the labels arrive. */
  immediate: number;
  reference: CycleJudgement;
  /** score − the reference's score: what weights are paid on. */
  excess: number;
  /** Agreement with the reference on the real alerts, and whether it counts as a copy of it. */
  referenceAgreement?: PairAgreement & { copy: boolean };
  /** Why this answer would or would not be paid. */
  verdict: string;
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

function labelledBatch(options: SubmissionOptions): { batch: Batch; labels: AddressLabel[] } {
  const network = options.network ?? 'torus';
  if ((options.producer ?? 'ours') === 'foreign')
    return generateForeignBatch({ seed: options.seed, date: options.date, network, alerts: options.alerts });
  return generateBatch({ network, date: options.date, alerts: options.alerts, seed: options.seed });
}

/** Truth and label weight of each request alert that is a labelled real alert (NaN otherwise). */
function realLabels(request: CycleRequest, labels: readonly AddressLabel[]) {
  const byAddress = new Map(labels.map((l) => [l.address, l]));
  const alerts = request.batch.alerts;
  const truth = new Float64Array(alerts.length).fill(Number.NaN);
  const weight = new Float64Array(alerts.length).fill(1);
  alerts.forEach((a, i) => {
    if (!request.realIdOf.has(a.alert_id)) return;
    const l = byAddress.get(a.address);
    if (!l) return;
    truth[i] = isPositiveRiskLevel(l.risk_level) ? 1 : 0;
    weight[i] = l.confidence_score ?? 1;
  });
  return { truth, weight };
}

function judge(
  answer: unknown,
  elapsedMs: number,
  request: CycleRequest,
  labels: { truth: Float64Array; weight: Float64Array },
  timeoutMs: number | undefined,
): CycleJudgement {
  const alertIds = request.batch.alerts.map((a) => a.alert_id);
  const tier1 = checkTier1({ requestedAlertIds: alertIds, answer, elapsedMs, timeoutMs });
  if (!tier1.passed) return { tier1, score: 0 };
  const tier2 = checkTier2({ alertIds, scores: tier1.scores!, trapTruth: request.trapTruth });
  const tier3 = checkTier3(tier1.scores!, labels.truth, labels.weight);
  const t2Settled = tier3 ? settledTier2(tier2.trapComponent, tier2.behaviour, tier3.aucRoc) : tier2.t2;
  return { tier1, tier2, tier3, t2Settled, score: cycleScore(1, t2Settled, tier3?.t3) };
}

function verdictOf(report: Omit<SubmissionReport, 'verdict' | 'passed'>): string {
  if (!report.tier1.passed) return `tier-1 failure: ${report.tier1.failure?.message ?? 'no answer'}`;
  if (report.referenceAgreement?.copy)
    return 'copy of the reference (alert_confidence_score): earns 0 for the whole cycle';
  if (!report.tier3) return 'tier 3 unknown on this batch (too few labelled alerts): no verdict';
  if (report.excess <= 0) return 'at or below the reference: no weight';
  return 'beats the reference: paid in proportion to its excess squared';
}

export async function validateSubmission(
  scorer: SubmissionScorer,
  options: SubmissionOptions,
): Promise<SubmissionReport> {
  const producer = options.producer ?? 'ours';
  const { batch, labels } = labelledBatch(options);
  // Traps as rich in positives as the batch's own alerts, as the validator's bank makes them.
  const riskOf = new Map(labels.map((l) => [l.address, isPositiveRiskLevel(l.risk_level)]));
  const known = batch.alerts.map((a) => riskOf.get(a.address)).filter((r) => r !== undefined);
  const positiveRate = known.length > 0 ? known.filter(Boolean).length / known.length : 0.15;
  const material = syntheticMaterial(batch, {
    seed: options.seed + 1,
    count: poolSize(options.traps),
    positiveRate,
  });
  const pool = buildTrapPool(
    batch,
    material.map((m) => ({ material: m })),
    options.seed + 2,
  );
  const request = assembleRequest(
    batch,
    pool,
    planCycle(batch, pool, { seed: options.seed + 3, perCycle: options.traps }),
  );
  const truth = realLabels(request, labels);

  const started = performance.now();
  const first = await scorer.scoreAlerts(request.batch);
  const elapsedMs = performance.now() - started;
  const own = judge(first, elapsedMs, request, truth, options.timeoutMs);

  const refScores = referenceScores(request.batch.alerts, options.seed);
  const reference = judge(
    request.batch.alerts.map((a, i) => ({
      alert_id: a.alert_id,
      score: refScores[i],
      model_version: REFERENCE_MODEL_VERSION,
      latency_ms: 0,
    })),
    0,
    request,
    truth,
    undefined,
  );
  let referenceAgreement: SubmissionReport['referenceAgreement'];
  if (own.tier1.passed) {
    const reals = request.batch.alerts.map((a, i) => (request.realIdOf.has(a.alert_id) ? i : -1));
    const pick = (xs: ArrayLike<number>) =>
      Float64Array.from(
        reals.filter((i) => i >= 0),
        (i) => xs[i],
      );
    const agreement = compareAnswers(pick(own.tier1.scores!), pick(refScores));
    referenceAgreement = { ...agreement, copy: isCopyPair(agreement) };
  }

  const second = await scorer.scoreAlerts(request.batch);
  const same = withoutLatency(first) === withoutLatency(second);
  const copied = referenceAgreement?.copy === true;
  const partial = {
    ...own,
    score: copied ? 0 : own.score,
    scorer: scorer.description,
    producer,
    alerts: request.realIdOf.size,
    traps: request.trapTruth.size,
    elapsedMs,
    immediate: copied ? 0 : cycleScore(own.tier1.t1, own.tier2?.t2, null),
    reference,
    excess: (copied ? 0 : own.score) - reference.score,
    referenceAgreement,
    deterministic: {
      ok: same,
      detail: same
        ? 'two runs gave bit-identical answers (latency_ms aside)'
        : 'two runs on the same batch gave different answers',
    },
  };
  return { ...partial, verdict: verdictOf(partial), passed: own.tier1.passed && same };
}
