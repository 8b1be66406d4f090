/**
 * The request a cycle sends, built once and rebuilt identically on resume or settlement: the
 * batch, the batch's trap pool (made by the first cycle of the batch, then shared, together with
 * the alerts the batch withholds from miners), the cycle's plan (which real alerts and traps it
 * sends) and the assembled request under the batch's aliases.
 */
import type { Batch } from '@aml/miner-template/data';
import type { BatchKey } from '@aml/miner-template/schemas';
import { Rng } from '@aml/miner-template/synthetic';
import type { CyclePlan, CycleRequest, TrapPool } from '@aml/miner-template/tiers';
import {
  assembleRequest,
  buildTrapPool,
  chooseWithheld,
  DEFAULT_INCLUSION,
  MAX_WITHHELD_SHARE,
  planCycle,
  poolSize,
  referenceScores,
  reviveMaterial,
  revivePool,
  trapsPerCycle,
  withheldCount,
  withholdAlerts,
} from '@aml/miner-template/tiers';
import type { BatchRecord, CycleRecord, ValidatorStore } from '../store/types.js';
import { poolMaterial } from '../traps/trap-bank.js';
import type { CycleContext } from './context.js';

export interface CycleBatch {
  /** The batch as miners receive it (without the withheld alerts). */
  batch: Batch;
  /** The whole batch as the source gave it (settlement and the bank read this one). */
  full: Batch;
  pool: TrapPool;
  plan: CyclePlan;
  request: CycleRequest;
  /** Request ids of the real alerts, and their own ids, in request order. */
  realAliases: string[];
  realIds: string[];
  /**
   * The alerts no miner is sent (withheld for the bank, lent to synthetic traps) with the
   * reference's score among all the batch's alerts: their canonical scores.
   */
  withheld: { alertId: string; score: number }[];
}

export function keyOf(record: BatchRecord): BatchKey {
  return { network: record.network, processing_date: record.processingDate, window_days: record.windowDays };
}

/** The alerts no miner is sent (withheld, or lent to synthetic traps) with the reference's score. */
function withheldReference(full: Batch, pool: TrapPool): CycleBatch['withheld'] {
  const unsent = [...pool.withheld, ...pool.lent];
  if (unsent.length === 0) return [];
  const reference = referenceScores(full.alerts, pool.seed);
  const index = new Map(full.alerts.map((a, i) => [a.alert_id, i]));
  return unsent.map((alertId) => ({ alertId, score: reference[index.get(alertId)!] }));
}

/** `batch` is `full` without the pool's withheld alerts. */
function finish(full: Batch, batch: Batch, pool: TrapPool, plan: CyclePlan): CycleBatch {
  const request = assembleRequest(batch, pool, plan);
  const realAliases = request.batch.alerts.map((a) => a.alert_id).filter((id) => request.realIdOf.has(id));
  return {
    batch,
    full,
    withheld: withheldReference(full, pool),
    pool,
    plan,
    request,
    realAliases,
    realIds: realAliases.map((id) => request.realIdOf.get(id)!),
  };
}

/**
 * A new pool for a batch, as a cycle makes it: the withheld alerts chosen first, then material for
 * the batch as miners receive it (the bank first when a store is given, synthetic for the rest).
 */
export async function draftPool(
  store: ValidatorStore | undefined,
  batchId: string,
  batch: Batch,
  options: { perCycle: number; inclusion?: number; withheldShare?: number; seed: number },
): Promise<{ pool: TrapPool; fromBank: number; bankIds: number[] }> {
  const size = poolSize(options.perCycle, options.inclusion ?? DEFAULT_INCLUSION);
  const withheld = chooseWithheld(
    batch,
    withheldCount(batch.alerts.length, size, options.withheldShare ?? MAX_WITHHELD_SHARE),
    new Rng(options.seed, 'withhold'),
  );
  const sent = withholdAlerts(batch, withheld);
  const material = await poolMaterial(store, batchId, sent, size, options.seed);
  const pool = buildTrapPool(
    sent,
    material.materials.map((m) => ({ material: m.origin === 'bank' ? reviveMaterial(m) : m })),
    options.seed,
  );
  return { pool: { ...pool, withheld }, fromBank: material.fromBank, bankIds: material.bankIds };
}

/** The batch's pool from the store, or a new one stored for its later cycles. */
export async function poolFor(
  ctx: CycleContext,
  batchId: string,
  batch: Batch,
  seed: number,
): Promise<{ pool: TrapPool; fromBank: number }> {
  const stored = await ctx.store.trapPool(batchId);
  if (stored !== undefined) return { pool: revivePool(stored), fromBank: -1 };
  const draft = await draftPool(ctx.store, batchId, batch, {
    perCycle: trapsPerCycle(batch.alerts.length, ctx.settings.trapsPerCycle),
    inclusion: ctx.settings.inclusion,
    withheldShare: ctx.settings.withheldShare,
    seed,
  });
  // First writer wins: a concurrent validator process on the same store gets the same pool.
  const pool = revivePool(await ctx.store.putTrapPool(batchId, seed, JSON.parse(JSON.stringify(draft.pool))));
  if (draft.bankIds.length > 0) await ctx.store.markTrapBankUsed(draft.bankIds, batch.key.processing_date);
  return { pool, fromBank: draft.fromBank };
}

export async function newCycleBatch(
  ctx: CycleContext,
  batchId: string,
  batch: Batch,
  trapSeed: number,
): Promise<CycleBatch & { fromBank: number }> {
  const { pool, fromBank } = await poolFor(ctx, batchId, batch, trapSeed);
  const sent = withholdAlerts(batch, pool.withheld);
  const plan = planCycle(sent, pool, {
    seed: trapSeed,
    perCycle: trapsPerCycle(batch.alerts.length, ctx.settings.trapsPerCycle),
    inclusion: ctx.settings.inclusion,
  });
  return { ...finish(batch, sent, pool, plan), fromBank };
}

/** Rebuilds a stored cycle's request (resume, settlement). */
export async function storedCycleBatch(
  ctx: CycleContext,
  cycle: CycleRecord,
  batch?: Batch,
): Promise<CycleBatch> {
  const record = await ctx.store.getBatch(cycle.batchId);
  if (!record) throw new Error(`cycle ${cycle.cycleId} names unknown batch ${cycle.batchId}`);
  const loaded = batch ?? (await ctx.batches.load(keyOf(record))).batch;
  const pool = await ctx.store.trapPool(cycle.batchId);
  const plan = (await ctx.store.cyclePlan(cycle.cycleId)) as CyclePlan | null;
  if (pool === undefined || !plan)
    throw new Error(`cycle ${cycle.cycleId} has no stored trap plan (made before the scoring migration?)`);
  const revived = revivePool(pool);
  return finish(loaded, withholdAlerts(loaded, revived.withheld), revived, plan);
}
