/**
 * What a trap must imitate, learned from the batch it joins: how the batch writes its identifiers,
 * which feature columns it has and how its alert rows leave them missing, how many decimals each
 * number carries, the value distribution of every column among alert rows, and how alerts are
 * linked to clusters and money flows. Traps conformed to this profile differ from the batch's real
 * alerts only in their truth being known (docs/validator.md, "Traps").
 */
import type { Batch } from '../../data/batch.js';
import type { MoneyFlow } from '../../schemas/money-flow.js';
import { textTemplate } from './jitter.js';
import { learnStringShape, type StringShape } from './string-shape.js';

export interface ColumnProfile {
  /** Present values among alert rows, ascending (quantile source). */
  sorted: Float64Array;
  /** Decimals the column is written with (max seen, ≤ 10). */
  decimals: number;
  /** Share of present values that are integers. */
  integerShare: number;
  missingRate: number;
}

export interface BatchProfile {
  key: Batch['key'];
  shapes: {
    alertId?: StringShape;
    address?: StringShape;
    patternId?: StringShape;
    clusterId?: StringShape;
  };
  /** Pattern ids shared by many alerts (rule ids) are drawn from the batch's own values. */
  patternIds: {
    categorical: boolean;
    byTypology: Map<string, string[]>;
    all: string[];
    /** How many alerts carry each pattern id (a pattern spanning several alerts repeats its id). */
    counts: Map<string, number>;
  };
  /** Feature columns in the batch's order. */
  columns: string[];
  column: Map<string, ColumnProfile>;
  /** Feature-table row of each alert (-1 when its address has none). */
  alertRow: Int32Array;
  volume: ColumnProfile;
  /** How many alerts have each exact description or evidence text. */
  textCounts: Map<string, number>;
  /** Alerts whose volume other alerts state too, with each alert's volume, quantile and typology. */
  sharedVolumeAlerts: number[];
  volumeOf: number[];
  volumeQuantile: Float64Array;
  typologyOf: (string | undefined)[];
  /** How many alerts state each volume. */
  volumeCounts: Map<number, number>;
  /** Decimals the batch writes flow amounts with, and the amounts' format. */
  flowAmountDecimals: number;
  flowAmounts: ColumnProfile;
  /**
   * Earliest first-seen and latest last-seen time of the batch's flows: a producer's window may
   * start later than the nominal one, and a trap flow before every real flow would stand out.
   */
  flowTimes: { first: number; last: number };
  confidence: ColumnProfile;
  /** Share of alerts named by at least one cluster. */
  clusteredRate: number;
  /** Clusters naming each alert (indexes into batch.clusters). */
  clustersOfAlert: number[][];
  /** Clusters whose alerts sit on more than one address: the only ones a trap (a new address) may join. */
  openClusters: number[];
  /** Addresses by role, for linking trap flows like real ones. */
  alertAddresses: string[];
  rowAddresses: string[];
  rowlessCounterparties: string[];
  /** Addresses of each counterparty kind, ascending by their flow count, with the counts. */
  byDegree: Record<'alert' | 'row' | 'none', { addresses: string[]; degrees: number[] }>;
  /** Flows by address (and their positions in the flow table), for re-pointing a donor's flows. */
  flowsOf: Map<string, MoneyFlow[]>;
  flowIndexesOf: Map<string, number[]>;
  alertAddressSet: Set<string>;
  rowAddressSet: Set<string>;
  /** Texts grouped by their template (numbers and long identifiers masked), per field. */
  templates: { description: Map<string, string[]>; evidence_json: Map<string, string[]> };
  /** Alerts on a feature row (none for -1). */
  alertsOnRow(row: number): number[];
  /** Alerts on an address's feature row (none when it has no row). */
  alertsOnAddress(address: string): number[];
  /** Alerts by typology_type, for donors. */
  alertsByTypology: Map<string, number[]>;
  /** Every address the miner sees (new ones must avoid them). */
  takenAddresses: Set<string>;
}

/** Decimals of a value as written (12.5 → 1, 3 → 0, 699424.876443 → 6), capped at 10. */
export function decimalsOf(v: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return 0;
  for (let d = 1; d < 10; d++) if (Number(v.toFixed(d)) === v) return d;
  return 10;
}

export function profileColumn(values: ArrayLike<number>): ColumnProfile {
  const present: number[] = [];
  let decimals = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    present.push(v);
    if (decimals < 10) decimals = Math.max(decimals, decimalsOf(v));
  }
  return {
    sorted: Float64Array.from(present).sort(),
    decimals,
    integerShare: present.length === 0 ? 1 : present.filter(Number.isInteger).length / present.length,
    missingRate: values.length === 0 ? 1 : 1 - present.length / values.length,
  };
}

export function profileBatch(batch: Batch): BatchProfile {
  const rowOf = new Map<string, number>();
  batch.features.address.forEach((a, i) => {
    rowOf.set(a, i);
  });
  const alertRow = Int32Array.from(batch.alerts, (a) => rowOf.get(a.address) ?? -1);
  // Each row once: several alerts on one address would otherwise fake ties in every column.
  const rowsOfAlerts = [...new Set(alertRow)].filter((r) => r >= 0);

  const column = new Map<string, ColumnProfile>();
  for (const [name, values] of batch.features.columns) {
    column.set(name, profileColumn(Float64Array.from(rowsOfAlerts, (r) => values[r])));
  }

  const clustersOfAlert: number[][] = batch.alerts.map(() => []);
  const alertIndex = new Map(batch.alerts.map((a, i) => [a.alert_id, i]));
  batch.clusters.forEach((c, ci) => {
    for (const id of new Set([
      ...(c.related_alert_ids ?? []),
      ...(c.primary_alert_id ? [c.primary_alert_id] : []),
    ])) {
      const i = alertIndex.get(id);
      if (i !== undefined) clustersOfAlert[i].push(ci);
    }
  });

  const memberAddresses = batch.clusters.map(() => new Set<string>());
  clustersOfAlert.forEach((cs, i) => {
    for (const ci of cs) memberAddresses[ci].add(batch.alerts[i].address);
  });
  const openClusters = memberAddresses.flatMap((set, ci) => (set.size > 1 ? [ci] : []));

  const alertAddresses = [...new Set(batch.alerts.map((a) => a.address))];
  const alertSet = new Set(alertAddresses);
  const rowAddresses = batch.features.address.filter((a) => !alertSet.has(a));
  const rowSet = new Set(batch.features.address);
  const rowless = new Set<string>();
  for (const f of batch.money_flows) {
    for (const a of [f.from_address, f.to_address]) if (!rowSet.has(a) && !alertSet.has(a)) rowless.add(a);
  }

  const byTypology = new Map<string, string[]>();
  const alertsByTypology = new Map<string, number[]>();
  batch.alerts.forEach((a, i) => {
    const t = a.typology_type ?? 'unknown';
    if (!alertsByTypology.has(t)) alertsByTypology.set(t, []);
    alertsByTypology.get(t)!.push(i);
    if (!a.pattern_id) return;
    if (!byTypology.has(t)) byTypology.set(t, []);
    byTypology.get(t)!.push(a.pattern_id);
  });
  const patternValues = batch.alerts.map((a) => a.pattern_id).filter((p): p is string => !!p);

  const taken = new Set<string>([...alertAddresses, ...batch.features.address, ...rowless]);
  const flowsOf = new Map<string, MoneyFlow[]>();
  const flowIndexesOf = new Map<string, number[]>();
  batch.money_flows.forEach((f, k) => {
    for (const a of new Set([f.from_address, f.to_address])) {
      let list = flowsOf.get(a);
      if (!list) {
        list = [];
        flowsOf.set(a, list);
        flowIndexesOf.set(a, []);
      }
      list.push(f);
      flowIndexesOf.get(a)!.push(k);
    }
  });
  const byDegree = {} as BatchProfile['byDegree'];
  for (const [kind, list] of [
    ['alert', alertAddresses],
    ['row', rowAddresses],
    ['none', [...rowless]],
  ] as const) {
    const sorted = list
      .map((a) => [a, flowsOf.get(a)?.length ?? 0] as const)
      .sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1));
    byDegree[kind] = { addresses: sorted.map((x) => x[0]), degrees: sorted.map((x) => x[1]) };
  }
  const templates = { description: new Map<string, string[]>(), evidence_json: new Map<string, string[]>() };
  for (const a of batch.alerts) {
    for (const field of ['description', 'evidence_json'] as const) {
      const text = a[field];
      if (!text) continue;
      const key = textTemplate(text);
      const list = templates[field].get(key);
      if (list) list.push(text);
      else templates[field].set(key, [text]);
    }
  }
  const volume = profileColumn(Float64Array.from(batch.alerts, (a) => a.volume_usd ?? Number.NaN));
  const volumeCounts = new Map<number, number>();
  for (const a of batch.alerts) volumeCounts.set(a.volume_usd, (volumeCounts.get(a.volume_usd) ?? 0) + 1);
  const onRow = new Map<number, number[]>();
  alertRow.forEach((r, i) => {
    if (r < 0) return;
    if (!onRow.has(r)) onRow.set(r, []);
    onRow.get(r)!.push(i);
  });
  return {
    key: batch.key,
    alertsOnRow: (row) => onRow.get(row) ?? [],
    alertsOnAddress: (address) => onRow.get(rowOf.get(address) ?? -1) ?? [],
    shapes: {
      alertId: learnStringShape(batch.alerts.map((a) => a.alert_id)),
      address: learnStringShape([...taken]),
      patternId: learnStringShape(patternValues),
      clusterId: learnStringShape(batch.clusters.map((c) => c.cluster_id)),
    },
    patternIds: {
      categorical: patternValues.length > 0 && new Set(patternValues).size < 0.5 * patternValues.length,
      byTypology,
      all: patternValues,
      counts: patternValues.reduce((m, p) => m.set(p, (m.get(p) ?? 0) + 1), new Map<string, number>()),
    },
    columns: [...batch.features.columns.keys()],
    column,
    alertRow,
    volume,
    sharedVolumeAlerts: batch.alerts.flatMap((a, i) =>
      Number.isFinite(a.volume_usd) && volumeCounts.get(a.volume_usd)! > 1 ? [i] : [],
    ),
    volumeOf: batch.alerts.map((a) => a.volume_usd),
    volumeQuantile: Float64Array.from(batch.alerts, (a) => quantileOf(volume.sorted, a.volume_usd)),
    typologyOf: batch.alerts.map((a) => a.typology_type),
    textCounts: batch.alerts.reduce((m, a) => {
      for (const t of [a.description, a.evidence_json]) if (t) m.set(t, (m.get(t) ?? 0) + 1);
      return m;
    }, new Map<string, number>()),
    volumeCounts,
    flowAmounts: profileColumn(
      Float64Array.from(batch.money_flows.slice(0, 5000), (f) => f.amount_usd_sum ?? Number.NaN),
    ),
    flowAmountDecimals: Math.min(
      6,
      profileColumn(
        Float64Array.from(batch.money_flows.slice(0, 5000), (f) => f.amount_usd_sum ?? Number.NaN),
      ).decimals,
    ),
    flowTimes: flowTimeRange(batch),
    confidence: profileColumn(Float64Array.from(batch.alerts, (a) => a.alert_confidence_score ?? Number.NaN)),
    clusteredRate:
      batch.alerts.length === 0
        ? 0
        : clustersOfAlert.filter((c) => c.length > 0).length / batch.alerts.length,
    clustersOfAlert,
    openClusters,
    alertAddresses,
    rowAddresses,
    rowlessCounterparties: [...rowless],
    byDegree,
    flowsOf,
    flowIndexesOf,
    alertAddressSet: alertSet,
    rowAddressSet: rowSet,
    templates,
    alertsByTypology,
    takenAddresses: taken,
  };
}

/** Rounds to a column's decimals (the batch's number format). */
export function roundTo(v: number, decimals: number): number {
  if (!Number.isFinite(v) || decimals >= 10) return v;
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

/** Mid-rank quantile of v among ascending values (ties share their middle). */
function flowTimeRange(batch: Batch): { first: number; last: number } {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const f of batch.money_flows) {
    if (f.first_seen_timestamp < first) first = f.first_seen_timestamp;
    if (f.last_seen_timestamp > last) last = f.last_seen_timestamp;
  }
  return { first, last };
}

export function quantileOf(sorted: Float64Array, v: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(v)) return Number.NaN;
  const lo = firstIndex(sorted, (x) => x >= v);
  // the end of the run of ties by a second search, not a walk: a 0/1 column of 50,000 rows has
  // runs of tens of thousands, and the trap pool asks this for every donor row of every column
  const end = firstIndex(sorted, (x) => x > v);
  return n === 1 ? 0.5 : (lo + end - 1) / 2 / (n - 1);
}

/** The first index of an ascending array at which `past` holds (its length if nowhere). */
function firstIndex(sorted: Float64Array, past: (x: number) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (past(sorted[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
