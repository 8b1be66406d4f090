/**
 * Row → record mappers of the store: SQLite and PostgreSQL read the same columns (same
 * migrations), and drivers differ only in how they hand numbers back (numbers, bigints or
 * numeric strings), which `Number` absorbs.
 */
import { numbers, unpackAnswer } from './codec.js';
import type {
  AnswerRecord,
  BankEntry,
  BatchRecord,
  CanonicalRecord,
  CycleRecord,
  CycleStage,
  PendingReveal,
  TierRecord,
  TrapRecord,
  WeightSubmission,
} from './types.js';

export type Row = Record<string, unknown>;

export const nullableNumber = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);
const nullableText = (v: unknown): string | null => (v as string | null | undefined) ?? null;

export const batchFrom = (r: Row): BatchRecord => ({
  batchId: String(r.batch_id),
  network: String(r.network),
  processingDate: String(r.processing_date),
  windowDays: Number(r.window_days),
  alertCount: Number(r.alert_count),
  source: String(r.source),
});

export const cycleFrom = (r: Row): CycleRecord => ({
  cycleId: Number(r.cycle_id),
  batchId: String(r.batch_id),
  stage: r.stage as CycleStage,
  trapSeed: Number(r.trap_seed),
  startedAt: Number(r.started_at),
  updatedAt: Number(r.updated_at),
});

export const trapFrom = (r: Row): TrapRecord => ({
  alertId: String(r.alert_id),
  truth: Number(r.truth) as 0 | 1,
});

export const answerFrom = (r: Row): AnswerRecord => ({
  hotkey: String(r.hotkey),
  uid: Number(r.uid),
  statusCode: Number(r.status_code),
  elapsedMs: Number(r.elapsed_ms),
  modelVersion: nullableText(r.model_version),
  answer: unpackAnswer(r.answer_gz as Uint8Array | null),
  error: nullableText(r.error),
});

export const tierFrom = (r: Row): TierRecord => ({
  hotkey: String(r.hotkey),
  uid: Number(r.uid),
  t1: Number(r.t1),
  t1Failure: nullableText(r.t1_failure),
  t2: nullableNumber(r.t2),
  t2Detail: JSON.parse(String(r.t2_detail ?? 'null')),
  immediate: Number(r.immediate),
  t3: nullableNumber(r.t3),
  final: nullableNumber(r.final),
  copyOf: nullableText(r.copy_of),
  t2Settled: nullableNumber(r.t2_settled),
});

export const bankEntryFrom = (r: Row): BankEntry => ({
  id: Number(r.id),
  network: String(r.network),
  batchId: String(r.batch_id),
  alertId: String(r.alert_id),
  address: String(r.address),
  truth: Number(r.truth) as 0 | 1,
  uses: Number(r.uses),
});

export const canonicalFrom = (r: Row): CanonicalRecord => ({
  alertId: String(r.alert_id),
  score: r.score === null ? Number.NaN : Number(r.score),
  std: r.std === null ? Number.NaN : Number(r.std),
  minerCount: Number(r.miner_count),
  source: r.source === 'reference' || r.source === 'withheld' ? r.source : 'ensemble',
  cycleId: Number(r.cycle_id),
});

export const weightFrom = (r: Row): WeightSubmission => ({
  id: Number(r.id),
  cycleId: Number(r.cycle_id),
  block: Number(r.block),
  kind: r.kind as WeightSubmission['kind'],
  uids: numbers(String(r.uids)),
  weights: numbers(String(r.weights)),
  status: r.status as WeightSubmission['status'],
  detail: nullableText(r.detail),
  createdAt: Number(r.created_at),
  mortal: Number(r.mortal) === 1,
  txHash: nullableText(r.tx_hash),
  era:
    r.era_birth === null || r.era_birth === undefined
      ? null
      : { birth: Number(r.era_birth), period: Number(r.era_period) },
  revealId: r.reveal_id === null || r.reveal_id === undefined ? null : Number(r.reveal_id),
});

export const pendingRevealFrom = (r: Row): PendingReveal => ({
  id: Number(r.id),
  cycleId: Number(r.cycle_id),
  pending: JSON.parse(String(r.pending)),
});
