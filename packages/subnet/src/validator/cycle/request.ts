/**
 * The request a cycle sends, built once and rebuilt identically on resume or settlement: the
 * batch, the batch's trap pool (made by the first cycle of the batch, then shared), the cycle's
 * plan (which real alerts and traps it sends) and the assembled request under the batch's aliases.
 */
import type { Batch } from '@aml/miner-template/data';
import type { BatchKey } from '@aml/miner-template/schemas';
import type { CyclePlan, CycleRequest, TrapPool } from '@aml/miner-template/validation';
import {
  assembleRequest,
  buildTrapPool,
  DEFAULT_INCLUSION,
  planCycle,
  poolSize,
  reviveMaterial,
  revivePool,
  trapsPerCycle,
} from '@aml/miner-template/validation';
import type { BatchRecord, CycleRecord } from '../store/types.js';
import { poolMaterial } from '../traps/trap-bank.js';
import type { CycleContext } from './context.js';

export interface CycleBatch {
  batch: Batch;
  pool: TrapPool;
  plan: CyclePlan;
  request: CycleRequest;
  /** Request ids of the real alerts, and their own ids, in request order. */
  realAliases: string[];
  realIds: string[];
}

export function keyOf(record: BatchRecord): BatchKey {
  return { network: record.network, processing_date: record.processingDate, window_days: record.windowDays };
}

function finish(batch: Batch, pool: TrapPool, plan: CyclePlan): CycleBatch {
  const request = assembleRequest(batch, pool, plan);
  const realAliases = request.batch.alerts.map((a) => a.alert_id).filter((id) => request.realIdOf.has(id));
  return {
    batch,
    pool,
    plan,
    request,
    realAliases,
    realIds: realAliases.map((id) => request.realIdOf.get(id)!),
  };
}

/** The batch's pool from the store, or a new one (bank material first) stored for its later cycles. */
export async function poolFor(
  ctx: CycleContext,
  batchId: string,
  batch: Batch,
  seed: number,
): Promise<{ pool: TrapPool; fromBank: number }> {
  const stored = await ctx.store.trapPool(batchId);
  if (stored !== undefined) return { pool: revivePool(stored), fromBank: -1 };
  const perCycle = trapsPerCycle(batch.alerts.length, ctx.settings.trapsPerCycle);
  const size = poolSize(perCycle, ctx.settings.inclusion ?? DEFAULT_INCLUSION);
  const material = await poolMaterial(ctx.store, batchId, batch, size, seed);
  const built = buildTrapPool(
    batch,
    material.materials.map((m) => ({ material: m.origin === 'bank' ? reviveMaterial(m) : m })),
    seed,
  );
  // First writer wins: a concurrent validator process on the same store gets the same pool.
  const pool = revivePool(await ctx.store.putTrapPool(batchId, seed, JSON.parse(JSON.stringify(built))));
  if (material.bankIds.length > 0)
    await ctx.store.markTrapBankUsed(material.bankIds, batch.key.processing_date);
  return { pool, fromBank: material.fromBank };
}

export async function newCycleBatch(
  ctx: CycleContext,
  batchId: string,
  batch: Batch,
  trapSeed: number,
): Promise<CycleBatch & { fromBank: number }> {
  const { pool, fromBank } = await poolFor(ctx, batchId, batch, trapSeed);
  const plan = planCycle(batch, pool, {
    seed: trapSeed,
    perCycle: trapsPerCycle(batch.alerts.length, ctx.settings.trapsPerCycle),
    inclusion: ctx.settings.inclusion,
  });
  return { ...finish(batch, pool, plan), fromBank };
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
  return finish(loaded, revivePool(pool), plan);
}
