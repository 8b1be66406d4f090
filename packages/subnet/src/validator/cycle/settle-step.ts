/**
 * Tier 3 (docs/validator.md, "Tier 3, ground truth"): once a batch's labels are published and τ days have passed since its date,
 * every stored answer of its cycles (the reference's included) is scored on the real alerts of
 * its own request, traps excluded, with chance removed. Settlement also confirms the trap credit:
 * the settled t2 caps the trap component at the answer's skill on labelled real alerts plus a
 * margin, so a miner that only spots traps keeps no tier-2 credit once the labels are in. Finally
 * the batch's labelled alerts join the trap bank. With too few labels tier 3 stays unknown (not 0).
 */
import type { Batch } from '@aml/miner-template/data';
import { type AddressLabel, isPositiveRiskLevel } from '@aml/miner-template/schemas';
import { checkTier3, cycleScore, settledTier2 as settledT2 } from '@aml/miner-template/tiers';
import type { SettledTier, TierRecord } from '../store/types.js';
import { bankSettledBatch } from '../traps/trap-bank.js';
import { type RealScores, storedRealScores } from './answer-reads.js';
import type { CycleContext } from './context.js';
import { type CycleBatch, keyOf, storedCycleBatch } from './request.js';

const DAY_MS = 86_400_000;

interface Tier2Detail {
  trapComponent?: number;
  behaviour?: number;
}

/** The tier row's t2 once labels are known (unchanged when its detail or the labels are missing). */
export function settledTier2(tier: TierRecord, realAuc: number | undefined): number | null {
  if (tier.t2 === null) return null;
  const d = (tier.t2Detail ?? {}) as Tier2Detail;
  if (typeof d.trapComponent !== 'number' || typeof d.behaviour !== 'number') return tier.t2;
  if (realAuc === undefined) return tier.t2;
  return settledT2(d.trapComponent, d.behaviour, realAuc);
}

function labelsFor(batch: Batch, realIds: readonly string[], labels: readonly AddressLabel[]) {
  const byAddress = new Map(labels.map((l) => [l.address, l]));
  const alertById = new Map(batch.alerts.map((a) => [a.alert_id, a]));
  const truth = Float64Array.from(realIds, (id) => {
    const l = byAddress.get(alertById.get(id)!.address);
    return l ? (isPositiveRiskLevel(l.risk_level) ? 1 : 0) : Number.NaN;
  });
  const weight = Float64Array.from(
    realIds,
    (id) => byAddress.get(alertById.get(id)!.address)?.confidence_score ?? 1,
  );
  return { truth, weight };
}

/**
 * Settles every cycle whose labels are due. `current` is the running cycle's request when it is
 * already built, with its answers' scores on the real alerts: a cycle settled in its own run (τ = 0)
 * reuses them instead of loading its batch, reassembling the request (the rebuild gives the same
 * request from the same pool and plan) and unpacking every answer again. Other cycles' answers are
 * read one at a time.
 */
export async function settleTier3(
  ctx: CycleContext,
  current?: { cycleId: number; request: CycleBatch; realScores: RealScores },
): Promise<number> {
  const { store, batches, settings, logger } = ctx;
  const now = ctx.now?.() ?? Date.now();
  let settled = 0;
  const loaded = new Map<string, Batch>();
  for (const cycle of await store.unsettledCycles()) {
    const record = await store.getBatch(cycle.batchId);
    if (!record) continue;
    if (now < Date.parse(`${record.processingDate}T00:00:00Z`) + settings.tauDays * DAY_MS) continue;
    const labels = await batches.labels(keyOf(record));
    if (!labels) continue;
    const own = current?.cycleId === cycle.cycleId ? current.request : undefined;
    let batch = loaded.get(cycle.batchId) ?? own?.full;
    batch ??= (await batches.load(keyOf(record))).batch;
    loaded.set(cycle.batchId, batch);
    if (!(await store.cyclePlan(cycle.cycleId))) {
      // A cycle of the earlier scoring (migrated store): its request cannot be rebuilt, so its
      // real alerts are unknown. It settles with tier 3 unknown and adds nothing to the bank.
      const legacy = (await store.tierResults(cycle.cycleId)).map((t) => ({
        hotkey: t.hotkey,
        t3: null,
        final: t.copyOf ? 0 : t.immediate,
        t2Settled: null,
      }));
      await store.settleTier3(cycle.cycleId, legacy);
      settled += legacy.length;
      continue;
    }
    const request = own ?? (await storedCycleBatch(ctx, cycle, batch));
    const { truth, weight } = labelsFor(batch, request.realIds, labels);
    const realScores = own
      ? current!.realScores
      : storedRealScores(store, cycle.cycleId, request.realAliases);
    const rows: SettledTier[] = [];
    for (const tier of await store.tierResults(cycle.cycleId)) {
      if (tier.t1 !== 1) {
        rows.push({ hotkey: tier.hotkey, t3: null, final: 0, t2Settled: null });
        continue;
      }
      const scores = await realScores(tier.hotkey);
      const t3 = checkTier3(scores, truth, weight);
      const t2Settled = settledTier2(tier, t3?.aucRoc);
      const final = tier.copyOf ? 0 : cycleScore(tier.t1, t2Settled, t3?.t3);
      rows.push({ hotkey: tier.hotkey, t3: t3?.t3 ?? null, final, t2Settled });
    }
    await store.settleTier3(cycle.cycleId, rows);
    settled += rows.length;
    const banked = await bankSettledBatch(store, cycle.batchId, batch, labels, {
      seed: cycle.trapSeed,
      now,
      withheld: request.pool.withheld,
    });
    logger.info(
      { cycleId: cycle.cycleId, batch: cycle.batchId, miners: rows.length, banked },
      'tier 3 settled',
    );
  }
  return settled;
}
