/**
 * `aml-validator audit-traps`: the stealth audit on demand. It builds a batch's traps exactly as a
 * cycle would (the same alerts withheld; bank material from the store when one is given, synthetic
 * material for the rest, conformed to the batch; one cycle's sample), without writing anything, and runs the trap-vs-real
 * detector on the request. An operator runs it on a new batch source before going live, or on a
 * day whose logged audit looked high, to see the figure and the tells behind it.
 */
import type { BatchKey } from '@aml/miner-template/schemas';
import {
  assembleRequest,
  auditTrapStealth,
  planCycle,
  STEALTH_TARGET_AUC,
  type StealthAudit,
  trapsPerCycle,
  withholdAlerts,
} from '@aml/miner-template/tiers';
import type { BatchSource } from './batch-source.js';
import { draftPool } from './cycle/request.js';
import { batchIdOf } from './cycle/run-cycle.js';
import type { ValidatorStore } from './store/types.js';

export interface TrapAuditOptions {
  batches: BatchSource;
  key: BatchKey;
  /** The validator's store, for its trap bank (read only); without it every trap is synthetic. */
  store?: ValidatorStore;
  traps?: number;
  seed: number;
  folds?: number;
}

export interface TrapAuditReport extends StealthAudit {
  batchSource: string;
  alerts: number;
  fromBank: number;
  target: number;
}

export async function auditBatchTraps(options: TrapAuditOptions): Promise<TrapAuditReport> {
  const { batch, source } = await options.batches.load(options.key);
  const perCycle = trapsPerCycle(batch.alerts.length, options.traps);
  const { pool, fromBank } = await draftPool(options.store, batchIdOf(options.key), batch, {
    perCycle,
    seed: options.seed,
  });
  const sent = withholdAlerts(batch, pool.withheld);
  const request = assembleRequest(sent, pool, planCycle(sent, pool, { seed: options.seed, perCycle }));
  const audit = auditTrapStealth(request.batch, new Set(request.trapTruth.keys()), {
    seed: options.seed,
    folds: options.folds,
  });
  return {
    ...audit,
    batchSource: source,
    alerts: batch.alerts.length,
    fromBank,
    target: STEALTH_TARGET_AUC,
  };
}

export function formatTrapAudit(r: TrapAuditReport): string {
  const verdict = Number.isNaN(r.auc)
    ? 'too few traps or real alerts to audit'
    : r.auc <= r.target
      ? `within the target (<= ${r.target})`
      : `ABOVE the target (<= ${r.target}): a miner could find traps through the tells below`;
  return [
    `trap stealth audit on ${r.batchSource} batch (${r.alerts} alerts): ${r.traps} traps (${r.fromBank} from the bank) vs ${r.reals} real alerts, ${r.folds}-fold`,
    `AUC ${Number.isNaN(r.auc) ? 'n/a' : r.auc.toFixed(3)}: ${verdict}`,
    ...r.tells.map((t, i) => `  tell ${i + 1}: ${t.feature} (gain ${t.gain.toFixed(1)})`),
  ].join('\n');
}
