/**
 * The trap bank (docs/validator.md, "Traps"): real alerts of settled batches, labels in, kept as
 * trap material in the store. When labels for a scored batch arrive, a sample of its labelled
 * alerts (whole address groups) joins the bank; when a new batch needs its day's trap pool, the
 * least-used entries are drawn, and synthetic material fills the gap while the bank is thin.
 */
import type { Batch } from '@aml/miner-template/data';
import type { AddressLabel } from '@aml/miner-template/schemas';
import { Rng } from '@aml/miner-template/synthetic';
import type { TrapMaterial } from '@aml/miner-template/tiers';
import {
  alertTruthByLabel,
  extractMaterial,
  materialContext,
  pickByAddress,
  syntheticMaterial,
} from '@aml/miner-template/tiers';
import type { BankEntry, ValidatorStore } from '../store/types.js';

/** Entries kept per settled batch, and at most per network. */
export const BANK_PER_BATCH = 600;
export const BANK_MAX_ENTRIES = 20_000;
/** Positive share of synthetic material when the bank cannot tell the producer's own yet. */
export const DEFAULT_POSITIVE_RATE = 0.15;

/** Adds a settled batch's labelled alerts to the bank, once per batch. */
export async function bankSettledBatch(
  store: ValidatorStore,
  batchId: string,
  batch: Batch,
  labels: readonly AddressLabel[],
  options: { seed: number; now: number; perBatch?: number },
): Promise<number> {
  if ((await store.trapBankSources()).has(batchId)) return 0;
  const truth = alertTruthByLabel(batch, labels);
  const labelled = batch.alerts.map((_, i) => i).filter((i) => truth[i] !== undefined);
  const rng = new Rng(options.seed, `bank:${batchId}`);
  const chosen = pickByAddress(batch.alerts, labelled, options.perBatch ?? BANK_PER_BATCH, (xs) =>
    rng.shuffle(xs),
  );
  const ctx = materialContext(batch);
  const entries = chosen.map((i) => ({
    alertId: batch.alerts[i].alert_id,
    address: batch.alerts[i].address,
    truth: truth[i]!,
    payload: extractMaterial(ctx, i, truth[i]!, 'bank'),
  }));
  await store.addToTrapBank(batch.key.network, batchId, entries, options.now);
  await store.pruneTrapBank(batch.key.network, BANK_MAX_ENTRIES);
  return entries.length;
}

export interface PoolMaterial {
  materials: TrapMaterial[];
  fromBank: number;
  bankIds: number[];
  positiveRate: number;
}

/**
 * Material for a batch's pool: bank entries of other batches (least used first, whole address
 * groups, in the bank's own class balance), then synthetic material for the rest.
 */
export async function poolMaterial(
  store: ValidatorStore,
  batchId: string,
  batch: Batch,
  count: number,
  seed: number,
): Promise<PoolMaterial> {
  const rng = new Rng(seed, 'pool-material');
  const index = (await store.trapBankIndex(batch.key.network)).filter((e) => e.batchId !== batchId);
  const positiveRate =
    index.length >= 50 ? index.filter((e) => e.truth === 1).length / index.length : DEFAULT_POSITIVE_RATE;
  // Least-used first; ties in a seeded random order.
  const order = index.map((e) => ({ e, r: rng.next() })).sort((a, b) => a.e.uses - b.e.uses || a.r - b.r);
  const groups = new Map<string, BankEntry[]>();
  for (const { e } of order) {
    const key = `${e.batchId}|${e.address}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(e);
  }
  const picked: BankEntry[] = [];
  for (const group of groups.values()) {
    if (picked.length >= count) break;
    picked.push(...group.slice(0, count - picked.length));
  }
  const payloads = await store.trapBankPayloads(picked.map((e) => e.id));
  const fromBank = picked.map((e) => payloads.get(e.id) as TrapMaterial).filter((m) => m !== undefined);
  const synthetic =
    fromBank.length < count
      ? syntheticMaterial(batch, { seed: rng.nextUint32(), count: count - fromBank.length, positiveRate })
      : [];
  return {
    materials: [...fromBank, ...synthetic],
    fromBank: fromBank.length,
    bankIds: picked.map((e) => e.id),
    positiveRate,
  };
}
