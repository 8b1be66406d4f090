/**
 * Mixes pattern traps into a batch (SPEC §3): the traps' alerts are shuffled in among the real
 * ones with a seeded shuffle (traps never sit together at the end), and their feature rows and
 * flows join the batch's tables. Shared by the validator and `aml-miner validate-submission`, so a
 * miner can rehearse against exactly what the validator sends.
 */
import type { Batch } from '../data/batch.js';
import { amlError, ERRORS } from '../errors.js';
import { Rng } from '../synthetic/random.js';
import type { Traps } from '../synthetic/traps.js';

export interface MixedBatch {
  batch: Batch;
  trapIds: Set<string>;
  /** alert_id → 1 planted laundering, 0 clearly benign. */
  truth: Map<string, 0 | 1>;
}

export function mixTraps(batch: Batch, traps: Traps, seed: number): MixedBatch {
  const taken = new Set(batch.alerts.map((a) => a.alert_id));
  const clash = traps.alerts.find((a) => taken.has(a.alert_id));
  if (clash)
    throw amlError(ERRORS.AML_ERR_BATCH_INTEGRITY, [
      `trap alert id ${clash.alert_id} collides with a real alert`,
    ]);
  const alerts = [...batch.alerts, ...traps.alerts];
  new Rng(seed, 'mix-traps').shuffle(alerts);

  const known = new Set(batch.features.address);
  const addRows: number[] = [];
  traps.features.address.forEach((a, i) => {
    if (!known.has(a)) addRows.push(i);
  });
  const address = [...batch.features.address, ...addRows.map((i) => traps.features.address[i])];
  const columns = new Map<string, Float64Array>();
  const n = batch.features.address.length;
  for (const name of new Set([...batch.features.columns.keys(), ...traps.features.columns.keys()])) {
    const out = new Float64Array(address.length).fill(Number.NaN);
    const own = batch.features.columns.get(name);
    if (own) out.set(own);
    const theirs = traps.features.columns.get(name);
    if (theirs) {
      addRows.forEach((row, k) => {
        out[n + k] = theirs[row];
      });
    }
    columns.set(name, out);
  }
  return {
    batch: {
      key: batch.key,
      alerts,
      features: { address, columns },
      clusters: batch.clusters,
      money_flows: [...batch.money_flows, ...traps.flows],
    },
    trapIds: new Set(traps.alerts.map((a) => a.alert_id)),
    truth: traps.truth,
  };
}

/** The batch without its traps: what a validator may publish. */
export function stripTraps(batch: Batch, trapIds: ReadonlySet<string>): Batch {
  return { ...batch, alerts: batch.alerts.filter((a) => !trapIds.has(a.alert_id)) };
}
