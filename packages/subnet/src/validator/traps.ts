/**
 * Pattern traps (SPEC §3): synthetic alerts whose truth the validator knows, mixed into the batch
 * so that miners cannot tell them from real ones, and stripped from everything published. The
 * mixed order is a seeded shuffle, so traps do not sit together at the end of the list.
 */
import type { Alert, Batch, Cluster, FeatureRow, MoneyFlow } from '@aml/miner-template';
import { featureRowsToTable, featureTableToRows, generateTraps, Rng } from '@aml/miner-template';

export interface TrapSet {
  alerts: Alert[];
  features: FeatureRow[];
  clusters: Cluster[];
  money_flows: MoneyFlow[];
  /** alert_id → 1 planted laundering, 0 clearly benign. */
  truth: Map<string, 0 | 1>;
}

export interface TrapFactory {
  /** Deterministic in `seed`; the validator draws a fresh secret seed every cycle. */
  make(options: { seed: number; count: number; batch: Batch }): TrapSet;
}

export interface MixedBatch {
  batch: Batch;
  trapIds: Set<string>;
  truth: Map<string, 0 | 1>;
}

export function mixTraps(batch: Batch, traps: TrapSet, seed: number): MixedBatch {
  const taken = new Set(batch.alerts.map((a) => a.alert_id));
  for (const a of traps.alerts) {
    if (taken.has(a.alert_id)) throw new Error(`trap alert id ${a.alert_id} collides with a real alert`);
  }
  const alerts = [...batch.alerts, ...traps.alerts];
  new Rng(seed, 'mix-traps').shuffle(alerts);
  const knownAddresses = new Set(batch.features.address);
  const extraFeatures = traps.features.filter((f) => !knownAddresses.has(f.address));
  const features =
    extraFeatures.length === 0
      ? batch.features
      : featureRowsToTable([...featureTableToRows(batch.features), ...extraFeatures]);
  return {
    batch: {
      key: batch.key,
      alerts,
      features,
      clusters: [...batch.clusters, ...traps.clusters],
      money_flows: [...batch.money_flows, ...traps.money_flows],
    },
    trapIds: new Set(traps.alerts.map((a) => a.alert_id)),
    truth: traps.truth,
  };
}

/** Traps from the synthetic generator's typologies, shaped like the batch they join. */
export const syntheticTraps: TrapFactory = {
  make({ seed, count, batch }) {
    const t = generateTraps({
      seed,
      count,
      date: batch.key.processing_date,
      network: batch.key.network,
      template: batch,
    });
    return {
      alerts: t.alerts,
      features: featureTableToRows(t.features),
      clusters: [],
      money_flows: t.flows,
      truth: t.truth,
    };
  },
};
