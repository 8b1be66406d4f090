/**
 * The alerts of a batch no miner is sent (withheld for the trap bank, or lent to synthetic traps):
 * the canonical table holds them with the reference's score, `source = withheld`.
 */
import { revivePool } from '@aml/miner-template/tiers';
import type { ValidatorStore } from '../../../src/validator/store/types.js';

export async function unsentAlerts(store: ValidatorStore, batchId: string): Promise<string[]> {
  const pool = revivePool(await store.trapPool(batchId));
  return [...pool.withheld, ...pool.lent];
}

/** Canonical rows after one cycle that sends `inclusion` of the sendable real alerts. */
export function canonicalRowsAfterOneCycle(alerts: number, unsent: number, inclusion = 0.9): number {
  return Math.round(inclusion * (alerts - unsent)) + unsent;
}
