/**
 * The validator's persistent state, behind one interface so SQLite (the embedded default) and
 * PostgreSQL (several validator processes, operators' own analytics) are interchangeable. Every
 * method is one transaction: when it resolves, the step it records is durable, and a restart
 * resumes from what the store says (docs/validator.md: nothing acknowledged is lost, no chain call repeats).
 */

import type { MortalEra } from '../../chain/types.js';
import type { KnownAxonCodecs } from '../../dendrite/axon-codecs.js';

export const CYCLE_STAGES = ['started', 'queried', 'scored', 'ensembled', 'weights', 'complete'] as const;
export type CycleStage = (typeof CYCLE_STAGES)[number];

export interface BatchRecord {
  batchId: string;
  network: string;
  processingDate: string;
  windowDays: number;
  alertCount: number;
  source: string;
}

export interface CycleRecord {
  cycleId: number;
  batchId: string;
  stage: CycleStage;
  /** Secret per-cycle seed the traps are generated from (regenerated identically on resume). */
  trapSeed: number;
  startedAt: number;
  updatedAt: number;
}

export interface TrapRecord {
  alertId: string;
  truth: 0 | 1;
}

export interface AnswerRecord {
  hotkey: string;
  uid: number;
  statusCode: number;
  elapsedMs: number;
  modelVersion: string | null;
  /** The miner's `scores` as sent (any JSON), stored compressed. */
  answer: unknown;
  error?: string | null;
}

/** An answer's bookkeeping without its scores: what the dashboard shows of a cycle's query. */
export interface AnswerSummary {
  hotkey: string;
  uid: number;
  statusCode: number;
  elapsedMs: number;
  modelVersion: string | null;
  error: string | null;
  /** Size of the answer as stored (gzip'd JSON), 0 when there was none: not the bytes on the wire. */
  storedBytes: number;
}

export interface TierRecord {
  hotkey: string;
  uid: number;
  t1: number;
  t1Failure: string | null;
  t2: number | null;
  /** Tier-2 detail (trap AUC, flags) for the status table and audits. */
  t2Detail: unknown;
  immediate: number;
  t3?: number | null;
  final?: number | null;
  /** The miner (or anchor: '@reference', '@canonical') whose copy this answer was; it earns 0. */
  copyOf?: string | null;
  /** t2 after settlement, when labels confirmed (or capped) the trap credit. */
  t2Settled?: number | null;
}

export interface CanonicalRecord {
  alertId: string;
  score: number;
  std: number;
  minerCount: number;
  /**
   * 'ensemble' normally; 'reference' when no miner beat the reference and its scores stand in;
   * 'withheld' for an alert withheld from miners (the reference's score: no miner saw it).
   */
  source?: 'ensemble' | 'reference' | 'withheld';
  /** The cycle that wrote this score (set when read back). */
  cycleId?: number;
}

/**
 * 'intent' until settled; 'expired' when its era closed and the chain never included it; 'unsent'
 * when the process died before it was signed (nothing can have reached the chain).
 */
export type WeightStatus = 'intent' | 'included' | 'refused' | 'failed' | 'unknown' | 'expired' | 'unsent';

export interface WeightSubmission {
  id: number;
  cycleId: number;
  /** Block at which the submission was decided (the rate-limit window starts here). */
  block: number;
  uids: number[];
  weights: number[];
  kind: 'set' | 'commit' | 'reveal';
  status: WeightStatus;
  detail: string | null;
  createdAt: number;
  /** Sent only after its hash and era were recorded; false for rows from before mortal eras. */
  mortal: boolean;
  /** Hash of the signed extrinsic, once signed. */
  txHash: string | null;
  era: MortalEra | null;
  /** For a reveal: the pending_reveals row it reveals. */
  revealId: number | null;
}

/** What a caller gives to record an intent; the rest is filled in by the store and the chain. */
export type WeightIntent = Pick<WeightSubmission, 'cycleId' | 'block' | 'kind' | 'uids' | 'weights'> & {
  revealId?: number;
};

/** A weights commit waiting for its reveal; `pending` is the chain client's PendingCommit as JSON. */
export interface PendingReveal<P = unknown> {
  id: number;
  cycleId: number;
  pending: P;
}

/** A cycle that reached its tiers, with its batch's date: the unit of the performance window. */
export interface ScoredCycle {
  cycleId: number;
  batchDate: string;
}

/** One miner's tier row within the performance window. */
export interface WindowTierRow {
  cycleId: number;
  hotkey: string;
  uid: number;
  t1: number;
  t2: number | null;
  t2Settled: number | null;
  /** The trap half of t2 with chance removed (null for rows written before it was kept). */
  trapComponent: number | null;
  copyOf: string | null;
  t3: number | null;
  settled: boolean;
}

export interface ScoreWindow {
  cycles: ScoredCycle[];
  rows: WindowTierRow[];
  /** The first cycle each hotkey of `rows` was ever scored in. */
  firstCycle: Map<string, number>;
}

/** A settled real alert kept as trap material: its truth and everything a miner saw of it. */
export interface BankEntry<P = unknown> {
  id: number;
  network: string;
  batchId: string;
  alertId: string;
  /** The alert's address in its source batch (alerts on one address are used together). */
  address: string;
  truth: 0 | 1;
  uses: number;
  payload?: P;
}

export interface SettledTier {
  hotkey: string;
  t3: number | null;
  final: number;
  t2Settled: number | null;
}

export interface ValidatorStore {
  close(): Promise<void>;

  putBatch(batch: BatchRecord): Promise<void>;
  getBatch(batchId: string): Promise<BatchRecord | undefined>;

  /**
   * Opens a new cycle for the batch (stage 'started') with its plan (what the request holds: the
   * trap subset and id aliases) and trap truth, in one transaction.
   */
  beginCycle(
    batchId: string,
    trapSeed: number,
    now: number,
    extras?: { plan?: unknown; traps?: readonly TrapRecord[] },
  ): Promise<CycleRecord>;
  cyclePlan(cycleId: number): Promise<unknown>;
  /** Merges `patch` into the cycle's JSON report (audit figures, weights, timings). */
  updateCycleReport(cycleId: number, patch: Record<string, unknown>): Promise<void>;
  cycleReport(cycleId: number): Promise<Record<string, unknown>>;
  /** Cycles newest first (for status and the dashboard). */
  recentCycles(limit: number): Promise<CycleRecord[]>;

  /** The day's trap pool of a batch, shared by all its cycles (first writer wins). */
  putTrapPool(batchId: string, seed: number, pool: unknown): Promise<unknown>;
  trapPool(batchId: string): Promise<unknown>;
  /** The newest cycle that has not reached 'complete', to resume after a crash. */
  openCycle(): Promise<CycleRecord | undefined>;
  latestCycle(): Promise<CycleRecord | undefined>;
  setCycleStage(cycleId: number, stage: CycleStage, now: number): Promise<void>;

  putTraps(cycleId: number, traps: readonly TrapRecord[]): Promise<void>;
  traps(cycleId: number): Promise<TrapRecord[]>;

  /** Stores one miner's answer the moment it arrives (the cycle stays in its stage). */
  putAnswer(cycleId: number, answer: AnswerRecord): Promise<void>;
  /** Stores the answers of a cycle and advances it to 'queried' in one transaction. */
  putAnswers(cycleId: number, answers: readonly AnswerRecord[], now: number): Promise<void>;
  answers(cycleId: number): Promise<AnswerRecord[]>;
  /**
   * One miner's answer of a cycle, unpacked. The cycle reads answers this way, one at a time, so
   * its memory does not grow with the number of miners times the batch size.
   */
  answerOf(cycleId: number, hotkey: string): Promise<AnswerRecord | undefined>;
  /** The cycle's answers without decompressing their scores (read only; for the dashboard). */
  answerSummaries(cycleId: number): Promise<AnswerSummary[]>;

  /** Stores tier results and advances the cycle to 'scored' in one transaction. */
  putTierResults(cycleId: number, results: readonly TierRecord[], now: number): Promise<void>;
  tierResults(cycleId: number): Promise<TierRecord[]>;
  /** Settles tier 3 of a cycle for every miner in one transaction. */
  settleTier3(cycleId: number, settled: readonly SettledTier[]): Promise<void>;
  /** Cycles with tier results whose tier 3 is not settled yet, oldest first. */
  unsettledCycles(): Promise<CycleRecord[]>;

  /** Every tier row of the network's cycles whose batch date is in [fromDate, toDate]. */
  scoreWindow(network: string, fromDate: string, toDate: string): Promise<ScoreWindow>;
  /** Stored batch dates of a network, newest first. */
  batchDates(network: string): Promise<string[]>;

  /** Stores the canonical ensemble scores and advances the cycle to 'ensembled'. */
  putCanonical(
    cycleId: number,
    batchId: string,
    rows: readonly CanonicalRecord[],
    now: number,
  ): Promise<void>;
  canonical(batchId: string): Promise<CanonicalRecord[]>;

  /** Adds a settled batch's trap material to the bank (idempotent per batch). */
  addToTrapBank(
    network: string,
    batchId: string,
    entries: readonly { alertId: string; address: string; truth: 0 | 1; payload: unknown }[],
    now: number,
  ): Promise<void>;
  /** Batches already turned into bank entries (whether or not any alert qualified). */
  trapBankSources(): Promise<Set<string>>;
  /** The bank's index for a network (no payloads). */
  trapBankIndex(network: string): Promise<BankEntry[]>;
  trapBankPayloads(ids: readonly number[]): Promise<Map<number, unknown>>;
  markTrapBankUsed(ids: readonly number[], date: string): Promise<void>;
  /** Drops the oldest bank entries beyond `keep` per network. */
  pruneTrapBank(network: string, keep: number): Promise<number>;

  /** Records the intent before any chain call, so a crash mid-call is never followed by a second call. */
  recordWeightIntent(w: WeightIntent, now: number): Promise<number>;
  /** Records the signed extrinsic's hash and era; called after signing and before sending. */
  recordWeightSigned(id: number, txHash: string, era: MortalEra): Promise<void>;
  resolveWeightSubmission(
    id: number,
    status: Exclude<WeightStatus, 'intent'>,
    detail: string | null,
  ): Promise<void>;
  lastWeightSubmission(kinds?: readonly WeightSubmission['kind'][]): Promise<WeightSubmission | undefined>;
  unresolvedWeightSubmissions(kinds?: readonly WeightSubmission['kind'][]): Promise<WeightSubmission[]>;

  /** What each axon advertised about compression, as the dendrite last learned it. */
  axonCodecs(): Promise<KnownAxonCodecs[]>;
  /** Replaces an axon's row (one per hotkey: a new address replaces the old one). */
  putAxonCodecs(codecs: KnownAxonCodecs, now: number): Promise<void>;
  /** Drops an axon's row (it advertised nothing, or refused a coding it had advertised). */
  dropAxonCodecs(hotkey: string): Promise<void>;

  putPendingReveal(cycleId: number, pending: unknown): Promise<number>;
  pendingReveals(): Promise<PendingReveal[]>;
  markRevealed(id: number): Promise<void>;
}
