/**
 * The validator's persistent state, behind one interface so SQLite (the embedded default) and
 * PostgreSQL (several validator processes, operators' own analytics) are interchangeable. Every
 * method is one transaction: when it resolves, the step it records is durable, and a restart
 * resumes from what the store says (SPEC §3: nothing acknowledged is lost, no chain call repeats).
 */

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
}

export interface CanonicalRecord {
  alertId: string;
  score: number;
  std: number;
  minerCount: number;
}

export type WeightStatus = 'intent' | 'included' | 'refused' | 'failed' | 'unknown';

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
}

/** A weights commit waiting for its reveal; `pending` is the chain client's PendingCommit as JSON. */
export interface PendingReveal<P = unknown> {
  id: number;
  cycleId: number;
  pending: P;
}

export interface PerformancePoint {
  cycleId: number;
  immediate: number;
  final: number | null;
}

export interface ValidatorStore {
  close(): Promise<void>;

  putBatch(batch: BatchRecord): Promise<void>;
  getBatch(batchId: string): Promise<BatchRecord | undefined>;

  /** Opens a new cycle for the batch and returns it (stage 'started'). */
  beginCycle(batchId: string, trapSeed: number, now: number): Promise<CycleRecord>;
  /** The newest cycle that has not reached 'complete', to resume after a crash. */
  openCycle(): Promise<CycleRecord | undefined>;
  latestCycle(): Promise<CycleRecord | undefined>;
  setCycleStage(cycleId: number, stage: CycleStage, now: number): Promise<void>;

  putTraps(cycleId: number, traps: readonly TrapRecord[]): Promise<void>;
  traps(cycleId: number): Promise<TrapRecord[]>;

  /** Stores the answers of a cycle and advances it to 'queried' in one transaction. */
  putAnswers(cycleId: number, answers: readonly AnswerRecord[], now: number): Promise<void>;
  answers(cycleId: number): Promise<AnswerRecord[]>;

  /** Stores tier results and advances the cycle to 'scored' in one transaction. */
  putTierResults(cycleId: number, results: readonly TierRecord[], now: number): Promise<void>;
  tierResults(cycleId: number): Promise<TierRecord[]>;
  /** Settles tier 3 of a (cycle, miner): sets t3 and final. */
  settleTier3(cycleId: number, hotkey: string, t3: number | null, final: number): Promise<void>;
  /** Cycles with tier results whose tier 3 is not settled yet, oldest first. */
  unsettledCycles(): Promise<CycleRecord[]>;

  /** The miner's cycle scores, newest first, at most `limit`. */
  performanceHistory(hotkey: string, limit: number): Promise<PerformancePoint[]>;

  /** Stores the canonical ensemble scores and advances the cycle to 'ensembled'. */
  putCanonical(
    cycleId: number,
    batchId: string,
    rows: readonly CanonicalRecord[],
    now: number,
  ): Promise<void>;
  canonical(batchId: string): Promise<CanonicalRecord[]>;

  /** First time a model_version was seen (any miner); records it when new. */
  firstSeenModelVersion(
    modelVersion: string,
    hotkey: string,
    cycleId: number,
    now: number,
  ): Promise<{ hotkey: string; firstSeen: number }>;

  /** Records the intent before any chain call, so a crash mid-call is never followed by a second call. */
  recordWeightIntent(
    w: Omit<WeightSubmission, 'id' | 'status' | 'detail' | 'createdAt'>,
    now: number,
  ): Promise<number>;
  resolveWeightSubmission(
    id: number,
    status: Exclude<WeightStatus, 'intent'>,
    detail: string | null,
  ): Promise<void>;
  lastWeightSubmission(kinds?: readonly WeightSubmission['kind'][]): Promise<WeightSubmission | undefined>;
  unresolvedWeightSubmissions(): Promise<WeightSubmission[]>;

  putPendingReveal(cycleId: number, pending: unknown): Promise<number>;
  pendingReveals(): Promise<PendingReveal[]>;
  markRevealed(id: number): Promise<void>;
}
