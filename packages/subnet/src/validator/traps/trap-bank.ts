/**
 * The trap bank (docs/validator.md, "Traps"): real alerts of settled batches, labels in, kept as
 * trap material in the store. When labels for a scored batch arrive, a sample of its labelled
 * alerts (whole address groups) joins the bank; when a new batch needs its day's trap pool, unused
 * entries are drawn, and synthetic material fills the gap while the bank is thin.
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

/**
 * Adds a settled batch's labelled alerts to the bank, once per batch: only those withheld from
 * miners when the batch withheld any (a miner may have kept the others and would find a trap made
 * from them by its nearest old row), all of them for a batch that withheld none.
 */
export async function bankSettledBatch(
  store: ValidatorStore,
  batchId: string,
  batch: Batch,
  labels: readonly AddressLabel[],
  options: { seed: number; now: number; perBatch?: number; withheld?: readonly string[] },
): Promise<number> {
  if ((await store.trapBankSources()).has(batchId)) return 0;
  const truth = alertTruthByLabel(batch, labels);
  const withheld = options.withheld?.length ? new Set(options.withheld) : undefined;
  const labelled = batch.alerts
    .map((_, i) => i)
    .filter(
      (i) => truth[i] !== undefined && (withheld === undefined || withheld.has(batch.alerts[i].alert_id)),
    );
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
 * Material for a batch's pool: unused bank entries of other batches (whole address groups, in a
 * seeded random order, in the bank's own class balance), then synthetic material for the rest
 * (all of it without a store).
 */
export async function poolMaterial(
  store: ValidatorStore | undefined,
  batchId: string,
  batch: Batch,
  count: number,
  seed: number,
): Promise<PoolMaterial> {
  const rng = new Rng(seed, 'pool-material');
  const banked = store
    ? (await store.trapBankIndex(batch.key.network)).filter((e) => e.batchId !== batchId)
    : [];
  const positiveRate =
    banked.length >= 50 ? banked.filter((e) => e.truth === 1).length / banked.length : DEFAULT_POSITIVE_RATE;
  // Each entry serves one batch only: once sent as a trap, a miner may have kept it, and the same
  // source conformed again would sit next to that old trap in rank space. Synthetic material
  // fills what unused entries cannot.
  const index = banked.filter((e) => e.uses === 0);
  const order = index.map((e) => ({ e, r: rng.next() })).sort((a, b) => a.r - b.r);
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
  const payloads = store ? await store.trapBankPayloads(picked.map((e) => e.id)) : new Map();
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
