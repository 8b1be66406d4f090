/**
 * The command line the crash tests give `aml-validator`: a local-sim chain and a store in one
 * folder, a generated batch of a fixed date, 20 traps and labels that settle in the cycle itself
 * (so tier 3, not the traps' noise, decides the order).
 */
import { join } from 'node:path';

export function localSimArgs(o: {
  netuid: number;
  dir: string;
  seedFile: string;
  chainFile: string;
  storePath: string;
  alerts: number;
  timeoutSeconds: number;
}): string[] {
  return [
    '--netuid',
    String(o.netuid),
    '--subtensor.network',
    'local-sim',
    '--subtensor.local_chain_file',
    o.chainFile,
    '--localnet.seed',
    o.seedFile,
    '--store.path',
    o.storePath,
    '--wallet.path',
    join(o.dir, 'no-wallets'),
    '--batch.alerts',
    String(o.alerts),
    '--batch.date',
    '2026-01-01',
    '--traps',
    '20',
    '--tier3.tau_days',
    '0',
    '--neuron.timeout',
    String(o.timeoutSeconds),
  ];
}
