/**
 * Trap material: one alert whose truth is known, with everything a miner saw of it in its own
 * batch (its feature row, the flows touching its address, what each counterparty was, whether a
 * cluster named it). Material comes from settled real batches (the validator's trap bank) or from
 * a synthetic world while the bank is thin, and is JSON-safe so the bank can store it as is.
 */
import type { Batch } from '../../data/batch.js';
import type { AddressLabel } from '../../schemas/address-label.js';
import { isPositiveRiskLevel } from '../../schemas/address-label.js';
import type { Alert } from '../../schemas/alert.js';
import type { Cluster } from '../../schemas/cluster.js';
import type { MoneyFlow } from '../../schemas/money-flow.js';
import { quantileOf } from './batch-profile.js';
import { nearestOtherRowFinder } from './memory-attack.js';

export type CounterpartyKind = 'alert' | 'row' | 'none';

export interface TrapMaterial {
  truth: 0 | 1;
  origin: 'bank' | 'synthetic';
  sourceDate: string;
  alert: Alert;
  /** Column → value of the address's feature row (null = missing); null when it had no row. */
  featureRow: Record<string, number | null> | null;
  /**
   * Column → the value's quantile among the source batch's alert rows (null = missing). Traps are
   * written from these onto the joining batch's own distributions: batches of different days (or
   * worlds) differ in scale, and a value carried over as is would stand out.
   */
  quantiles: Record<string, number | null> | null;
  /** Quantiles of volume_usd and alert_confidence_score among the source batch's alerts. */
  alertQuantiles: { volume_usd: number | null; alert_confidence_score: number | null };
  /**
   * Column → share of the source batch's alert rows missing it. The producer's random gaps vary
   * per column from day to day, so a trap's gaps are redrawn at the joining batch's rates.
   */
  missingRates?: Record<string, number>;
  /** Other alerts of the source batch stating the same volume (scheme members often do). */
  volumePeers?: number;
  /** Other alerts of the source batch with the same pattern id (one pattern, several alerts). */
  patternPeers?: number;
  /** Rows in the source's quantile sample, so conformance can jitter within a rank cell. */
  sourceRows: number;
  flows: MoneyFlow[];
  /** What each counterparty of `flows` was in the source batch. */
  counterparties: Record<string, CounterpartyKind>;
  /** Each counterparty's number of flows in the source batch (its degree in the flow table). */
  counterpartyDegree?: Record<string, number>;
  clustered: boolean;
  /**
   * The source row's rank distance to the nearest other alert row of its batch (the audit's
   * `row.nearest_other`). One real row in ten has a near twin; a trap conformed alone would have
   * none, so conformance brings a trap this near to a real row of the joining batch.
   */
  nearestOther?: number;
  /** Clusters whose primary address was this alert's: a trap gets a copy of each, led by itself. */
  ledClusters?: Cluster[];
  /**
   * Synthetic material only: the address of the joining batch's real alert the trap stands on
   * (its lender, matched in synthetic-lenders.ts); absent, conformance finds one.
   */
  lender?: string;
}

const toNullable = (v: number) => (Number.isNaN(v) ? null : v);
/** `{ [key]: v }` when v is finite, else `{}` (the bank stores JSON, which has no NaN). */
const finite = <K extends string>(key: K, v: number) =>
  (Number.isFinite(v) ? { [key]: v } : {}) as Partial<Record<K, number>>;

/** Index of flows by address, built once per batch. */
export function flowsByAddress(batch: Batch): Map<string, MoneyFlow[]> {
  const out = new Map<string, MoneyFlow[]>();
  const add = (a: string, f: MoneyFlow) => {
    let list = out.get(a);
    if (!list) {
      list = [];
      out.set(a, list);
    }
    list.push(f);
  };
  for (const f of batch.money_flows) {
    add(f.from_address, f);
    if (f.to_address !== f.from_address) add(f.to_address, f);
  }
  return out;
}

export interface MaterialContext {
  batch: Batch;
  rowOf: Map<string, number>;
  flows: Map<string, MoneyFlow[]>;
  alertAddresses: Set<string>;
  clustered: Set<string>;
  /** Clusters naming each alert id. */
  clustersOf: Map<string, Cluster[]>;
  /** Sorted values of alert rows per column, and of the alerts' own numbers. */
  sorted: Map<string, Float64Array>;
  /** Share of alert rows missing each column. */
  missingRates: Record<string, number>;
  /** How many alerts state each volume (NaN never counted), and carry each pattern id. */
  volumeCounts: Map<number, number>;
  patternCounts: Map<string, number>;
  /** An alert's `TrapMaterial.nearestOther` (ranks computed on first use). */
  nearestOther: (alertIndex: number) => number;
}

/**
 * `nearestOther` searches every alert row for each material, over as many columns as fit this
 * many distance terms for the materials a bank takes from a batch (its withheld alerts, up to 5 %):
 * every column up to ~10,000 alerts, fewer above (a banked date is searched once).
 */
const NEAREST_OTHER_BUDGET = 1e9;
const expectedMaterials = (alerts: number) => Math.max(100, Math.ceil(0.05 * alerts));

export function materialContext(batch: Batch): MaterialContext {
  const rowOf = new Map<string, number>();
  batch.features.address.forEach((a, i) => {
    rowOf.set(a, i);
  });
  const clustered = new Set<string>();
  const clustersOf = new Map<string, Cluster[]>();
  for (const c of batch.clusters) {
    for (const id of new Set([
      ...(c.related_alert_ids ?? []),
      ...(c.primary_alert_id ? [c.primary_alert_id] : []),
    ])) {
      clustered.add(id);
      if (!clustersOf.has(id)) clustersOf.set(id, []);
      clustersOf.get(id)!.push(c);
    }
  }
  const alertRows = [...new Set(batch.alerts.map((a) => rowOf.get(a.address)))].filter(
    (r): r is number => r !== undefined,
  );
  const sorted = new Map<string, Float64Array>();
  const missingRates: Record<string, number> = {};
  for (const [name, values] of batch.features.columns) {
    const present = Float64Array.from(alertRows.map((r) => values[r]).filter((v) => !Number.isNaN(v))).sort();
    sorted.set(name, present);
    missingRates[name] = alertRows.length === 0 ? 0 : 1 - present.length / alertRows.length;
  }
  for (const field of ['volume_usd', 'alert_confidence_score'] as const) {
    sorted.set(
      `@${field}`,
      Float64Array.from(batch.alerts.map((a) => a[field]).filter((v) => Number.isFinite(v))).sort(),
    );
  }
  const volumeCounts = new Map<number, number>();
  const patternCounts = new Map<string, number>();
  for (const a of batch.alerts) {
    if (!Number.isNaN(a.volume_usd))
      volumeCounts.set(a.volume_usd, (volumeCounts.get(a.volume_usd) ?? 0) + 1);
    if (a.pattern_id) patternCounts.set(a.pattern_id, (patternCounts.get(a.pattern_id) ?? 0) + 1);
  }
  let nearestOther: ((alertIndex: number) => number) | undefined;
  return {
    batch,
    rowOf,
    nearestOther: (i) => {
      nearestOther ??= nearestOtherRowFinder(
        batch,
        expectedMaterials(batch.alerts.length),
        NEAREST_OTHER_BUDGET,
      );
      return nearestOther(i);
    },
    volumeCounts,
    patternCounts,
    flows: flowsByAddress(batch),
    alertAddresses: new Set(batch.alerts.map((a) => a.address)),
    clustered,
    clustersOf,
    sorted,
    missingRates,
  };
}

/**
 * Where an alert stands in its batch: its row's values as quantiles among the batch's alert rows
 * (null when it has no row), and its volume's and confidence's among the batch's alerts.
 */
export function alertRanks(
  ctx: MaterialContext,
  alertIndex: number,
): Pick<TrapMaterial, 'quantiles' | 'alertQuantiles' | 'sourceRows'> {
  const alert = ctx.batch.alerts[alertIndex];
  const row = ctx.rowOf.get(alert.address);
  let quantiles: TrapMaterial['quantiles'] = null;
  if (row !== undefined) {
    quantiles = {};
    for (const [name, values] of ctx.batch.features.columns)
      quantiles[name] = Number.isNaN(values[row]) ? null : quantileOf(ctx.sorted.get(name)!, values[row]);
  }
  const alertQuantile = (field: 'volume_usd' | 'alert_confidence_score') =>
    Number.isFinite(alert[field]) ? quantileOf(ctx.sorted.get(`@${field}`)!, alert[field]) : null;
  return {
    quantiles,
    alertQuantiles: {
      volume_usd: alertQuantile('volume_usd'),
      alert_confidence_score: alertQuantile('alert_confidence_score'),
    },
    sourceRows: ctx.batch.alerts.length,
  };
}

export function extractMaterial(
  ctx: MaterialContext,
  alertIndex: number,
  truth: 0 | 1,
  origin: TrapMaterial['origin'],
): TrapMaterial {
  const alert = ctx.batch.alerts[alertIndex];
  const row = ctx.rowOf.get(alert.address);
  let featureRow: TrapMaterial['featureRow'] = null;
  if (row !== undefined) {
    featureRow = {};
    for (const [name, values] of ctx.batch.features.columns) featureRow[name] = toNullable(values[row]);
  }
  const flows = ctx.flows.get(alert.address) ?? [];
  const counterparties: Record<string, CounterpartyKind> = {};
  const counterpartyDegree: Record<string, number> = {};
  const kindOf = (a: string): CounterpartyKind =>
    ctx.alertAddresses.has(a) ? 'alert' : ctx.rowOf.has(a) ? 'row' : 'none';
  for (const f of flows) {
    for (const a of [f.from_address, f.to_address]) {
      if (a === alert.address) continue;
      counterparties[a] = kindOf(a);
      counterpartyDegree[a] = ctx.flows.get(a)?.length ?? 1;
    }
  }
  return {
    truth,
    origin,
    sourceDate: ctx.batch.key.processing_date,
    alert,
    featureRow,
    ...alertRanks(ctx, alertIndex),
    missingRates: ctx.missingRates,
    volumePeers: (ctx.volumeCounts.get(alert.volume_usd) ?? 0) - 1,
    patternPeers: alert.pattern_id ? ctx.patternCounts.get(alert.pattern_id)! - 1 : 0,
    flows,
    counterparties,
    counterpartyDegree,
    clustered: ctx.clustered.has(alert.alert_id),
    ...(row === undefined || origin !== 'bank' ? {} : finite('nearestOther', ctx.nearestOther(alertIndex))),
    ledClusters: (ctx.clustersOf.get(alert.alert_id) ?? []).filter(
      (c) => c.primary_address === alert.address,
    ),
  };
}

/**
 * Picks about `count` alert indexes from `candidates`, whole address groups at a time: several
 * alerts on one address are common in real batches, so traps must come in such groups as well.
 */
export function pickByAddress(
  alerts: readonly { address: string }[],
  candidates: readonly number[],
  count: number,
  shuffle: (xs: number[][]) => void,
): number[] {
  const groups = new Map<string, number[]>();
  for (const i of candidates) {
    const a = alerts[i].address;
    if (!groups.has(a)) groups.set(a, []);
    groups.get(a)!.push(i);
  }
  const list = [...groups.values()];
  shuffle(list);
  const out: number[] = [];
  for (const g of list) {
    if (out.length >= count) break;
    out.push(...g.slice(0, Math.max(1, count - out.length)));
  }
  return out;
}

/** Truth of each alert by its address's label (undefined when unlabelled). */
export function alertTruthByLabel(batch: Batch, labels: readonly AddressLabel[]): (0 | 1 | undefined)[] {
  const byAddress = new Map(labels.map((l) => [l.address, l]));
  return batch.alerts.map((a) => {
    const l = byAddress.get(a.address);
    return l ? (isPositiveRiskLevel(l.risk_level) ? 1 : 0) : undefined;
  });
}
