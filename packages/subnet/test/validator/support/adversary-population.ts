/**
 * The miner population every scoring change is measured against (docs/validator.md, "The
 * adversaries"): two honest, independently trained GBDTs and seven miners without skill of their
 * own. Each is a function from the request a validator sent to the scores it answers. The
 * attackers are given more than a real attacker has (the trap spotter gets the truth of every trap
 * the validator's own detector exposes, the trap oracle knows every trap, the replayer knows which
 * request id is which published alert), so what they earn here bounds what any weaker version of
 * the same attack earns.
 */
import { type AddressLabel, alertTruth, type Batch, buildAlertFeatures } from '@aml/miner-template';
import { generateForeignBatch } from '@aml/miner-template/foreign';
import { type GbdtModel, predictBatch, train } from '@aml/miner-template/gbdt';
import type { AmlScoringRequest } from '../../../src/protocol/synapse.js';
import { requestBatch as decodedRequestBatch } from '../../support/request-batch.js';
import { idNoise } from './behaving-miner-api.js';

/** What a scoring strategy may consult besides the request itself. */
export interface Privileged {
  /** Request id → truth of the cycle's traps (the validator's secret). */
  trapTruth: ReadonlyMap<string, 0 | 1>;
  /** Request id → the batch's own id of each real alert. */
  realIdOf: ReadonlyMap<string, string>;
  /** The batch's latest published canonical scores, by own alert id. */
  canonical: ReadonlyMap<string, number>;
  cycle: number;
  /**
   * Request id → how trap-like the alert looks to a GBDT trained on everything a miner sees
   * (the stealth audit's out-of-fold score; NaN where the audit did not look).
   */
  trapSuspicion: () => ReadonlyMap<string, number>;
}

export type Strategy = (
  request: Batch,
  privileged: Privileged,
  scoresOf: (name: string) => Float64Array,
) => Float64Array;

export interface PopulationMember {
  name: string;
  /** True for the miners that should be paid. */
  honest: boolean;
  strategy: Strategy;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export function requestBatch(request: AmlScoringRequest): Batch {
  return {
    ...decodedRequestBatch(request),
    key: { network: 'torus', processing_date: '1970-01-01', window_days: 7 },
  };
}

function trainScorer(
  seeds: readonly number[],
  alerts: number,
  params: Record<string, unknown>,
  dropPrefix?: string,
): GbdtModel {
  const parts = seeds.map((seed, k) =>
    generateForeignBatch({
      seed,
      date: `2025-11-${String(10 + k).padStart(2, '0')}`,
      network: 'torus',
      alerts,
    }),
  );
  const xs: number[][] = [];
  const ys: number[] = [];
  let names: string[] = [];
  for (const { batch, labels } of parts) {
    const m = buildAlertFeatures(batch);
    names = m.names;
    const truth = alertTruth(batch, labels as AddressLabel[]);
    for (let i = 0; i < m.numRows; i++) {
      if (Number.isNaN(truth.binary[i])) continue;
      const row = Array.from(m.values.subarray(i * m.names.length, (i + 1) * m.names.length));
      if (dropPrefix)
        names.forEach((n, j) => {
          if (n.startsWith(dropPrefix)) row[j] = Number.NaN;
        });
      xs.push(row);
      ys.push(truth.binary[i]);
    }
  }
  return train(
    {
      features: Float64Array.from(xs.flat()),
      numRows: xs.length,
      featureNames: names,
      label: Float64Array.from(ys),
    },
    {
      objective: 'binary',
      num_iterations: 80,
      learning_rate: 0.08,
      num_leaves: 15,
      verbosity: -1,
      ...params,
    },
  ).model;
}

function scoreWith(model: GbdtModel): Strategy {
  return (request) => {
    const m = buildAlertFeatures(request);
    return predictBatch(model, Float64Array.from(m.values), m.numRows);
  };
}

const random = (salt: number, p: Privileged, id: string) => idNoise(`${id}#${p.cycle}`, salt);

/** Right on a trap whose truth is known (high for 1, low for 0), random otherwise. */
function spotted(truth: 0 | 1 | undefined, p: Privileged, id: string, salt: number): number {
  if (truth === undefined) return random(salt, p, id);
  const jitter = 0.1 * random(salt + 1, p, id);
  return truth === 1 ? 0.9 + jitter : jitter;
}

/** The adversary miners of docs/validator.md, in registration order (the honest models registered first). */
export function adversaryPopulation(options: { trainAlerts?: number } = {}): PopulationMember[] {
  const n = options.trainAlerts ?? 1200;
  const good = trainScorer([9101, 9102], n, {
    seed: 1,
    feature_fraction: 0.8,
    bagging_fraction: 0.8,
    bagging_freq: 1,
  });
  const second = trainScorer([9201, 9202], n, { seed: 2, num_leaves: 31, min_data_in_leaf: 30 }, 'addr_');
  return [
    { name: 'good', honest: true, strategy: scoreWith(good) },
    { name: 'second', honest: true, strategy: scoreWith(second) },
    {
      name: 'random',
      honest: false,
      strategy: (r, p) => Float64Array.from(r.alerts, (a) => random(3, p, a.alert_id)),
    },
    {
      name: 'near-constant',
      honest: false,
      strategy: (r, p) => Float64Array.from(r.alerts, (a) => 0.3 + 0.02 * random(4, p, a.alert_id)),
    },
    {
      name: 'copier',
      honest: false,
      strategy: (r, p, of) =>
        of('good').map((s, i) => clamp01(s + 0.01 * (random(5, p, r.alerts[i].alert_id) - 0.5))),
    },
    { name: 'monotone', honest: false, strategy: (_r, _p, of) => of('good').map((s) => s ** 0.25) },
    {
      // Exploits every tell the validator's own detector can find: it takes the alerts that look
      // most like traps (as many as a cycle carries) and is handed the truth of those that are;
      // it is random elsewhere. What it earns is what the traps' stealth leaves to be earned.
      name: 'trap-spotter',
      honest: false,
      strategy: (r, p) => {
        const suspicion = p.trapSuspicion();
        const ranked = r.alerts
          .map((a) => ({ id: a.alert_id, s: suspicion.get(a.alert_id) ?? Number.NaN }))
          .filter((x) => Number.isFinite(x.s))
          .sort((a, b) => b.s - a.s || (a.id < b.id ? -1 : 1));
        const flagged = new Set(ranked.slice(0, p.trapTruth.size).map((x) => x.id));
        return Float64Array.from(r.alerts, (a) => {
          const t = flagged.has(a.alert_id) ? p.trapTruth.get(a.alert_id) : undefined;
          return spotted(t, p, a.alert_id, 6);
        });
      },
    },
    {
      // An upper bound no real miner reaches: it knows every trap and its truth.
      name: 'trap-oracle',
      honest: false,
      strategy: (r, p) =>
        Float64Array.from(r.alerts, (a) => spotted(p.trapTruth.get(a.alert_id), p, a.alert_id, 9)),
    },
    {
      name: 'replayer',
      honest: false,
      strategy: (r, p) =>
        Float64Array.from(r.alerts, (a) => {
          const own = p.realIdOf.get(a.alert_id);
          const s = own === undefined ? undefined : p.canonical.get(own);
          return s ?? random(8, p, a.alert_id);
        }),
    },
  ];
}
