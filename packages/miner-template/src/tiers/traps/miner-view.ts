/**
 * Everything a miner can compute about one alert of a request, as numbers: the alert's fields and
 * the shapes of its strings (length, character classes, how common the exact value and its shape
 * are in the batch, the rank of an id's number), the decimals its numbers are written with, its
 * feature row (values, nulls, cells that duplicate another row's), the row's and the flows'
 * positions in their tables (and whether its flows break the table's time order), its flows
 * (counts, amounts, who the counterparties are, duplicated flow rows, times), whether its
 * description states its own volume, and its clusters. It is the attacker's view for the stealth
 * audit: a trap that differs from real alerts in any of these can be learned by a gradient-boosted
 * detector.
 */
import type { Batch } from '../../data/batch.js';
import { lowerBound } from '../../features/stats.js';
import type { Alert } from '../../schemas/alert.js';
import { decimalsOf } from './batch-profile.js';

export interface MinerView {
  names: string[];
  /** Row-major, one row per alert of the batch, NaN = missing. */
  values: Float64Array;
  numRows: number;
}

const STRING_FIELDS = [
  'alert_id',
  'address',
  'pattern_id',
  'pattern_type',
  'typology_type',
  'severity',
  'suspected_address_type',
  'suspected_address_subtype',
  'description',
  'evidence_json',
] as const satisfies readonly (keyof Alert)[];

const shapeOf = (s: string) => s.replace(/[0-9]/g, '9').replace(/[a-z]/g, 'a').replace(/[A-Z]/g, 'A');
const trailingNumber = (s: string) => {
  const m = /(\d+)\D*$/.exec(s);
  return m ? Number(m[1]) : Number.NaN;
};

function counts<T>(items: readonly T[]): Map<T, number> {
  const out = new Map<T, number>();
  for (const x of items) out.set(x, (out.get(x) ?? 0) + 1);
  return out;
}

function percentileRanks(values: readonly number[]): Float64Array {
  const present = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return Float64Array.from(values, (v) => {
    if (Number.isNaN(v) || present.length === 0) return Number.NaN;
    return lowerBound(present, v) / present.length;
  });
}

function evidenceKeys(json: string | undefined): string {
  if (!json) return '';
  try {
    const parsed = JSON.parse(json) as unknown;
    return parsed && typeof parsed === 'object' ? Object.keys(parsed).sort().join(',') : typeof parsed;
  } catch {
    return '!';
  }
}

export function minerView(batch: Batch): MinerView {
  const n = batch.alerts.length;
  const names: string[] = [];
  const cols: Float64Array[] = [];
  const add = (name: string, f: (i: number) => number) => {
    names.push(name);
    cols.push(Float64Array.from({ length: n }, (_, i) => f(i)));
  };
  const alerts = batch.alerts;
  const date = batch.key.processing_date;
  const windowEnd = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  const windowStart = windowEnd - batch.key.window_days * 86_400_000;

  add('position', (i) => i / Math.max(1, n - 1));
  for (const field of STRING_FIELDS) {
    const values = alerts.map((a) => (a[field] as string | undefined) ?? '');
    const valueFreq = counts(values);
    const shapes = values.map(shapeOf);
    const shapeFreq = counts(shapes);
    add(`${field}.present`, (i) => (values[i] === '' ? 0 : 1));
    add(`${field}.length`, (i) => values[i].length);
    add(`${field}.digits`, (i) => values[i].replace(/\D/g, '').length);
    add(`${field}.upper`, (i) => values[i].replace(/[^A-Z]/g, '').length);
    add(`${field}.other`, (i) => values[i].replace(/[A-Za-z0-9]/g, '').length);
    add(`${field}.value_freq`, (i) => valueFreq.get(values[i])! / n);
    add(`${field}.shape_freq`, (i) => shapeFreq.get(shapes[i])! / n);
    add(`${field}.has_date`, (i) => (values[i].includes(date) ? 1 : 0));
    const ranks = percentileRanks(values.map(trailingNumber));
    add(`${field}.number_rank`, (i) => ranks[i]);
  }
  add('alert_confidence_score', (i) => alerts[i].alert_confidence_score);
  add('alert_confidence_score.decimals', (i) => decimalsOf(alerts[i].alert_confidence_score));
  add('volume_usd', (i) => alerts[i].volume_usd);
  add('volume_usd.decimals', (i) => decimalsOf(alerts[i].volume_usd));
  add('window_days', (i) => alerts[i].window_days ?? Number.NaN);
  add('processing_date.same', (i) =>
    alerts[i].processing_date === undefined ? Number.NaN : alerts[i].processing_date === date ? 1 : 0,
  );
  const indicatorFreq = counts(alerts.flatMap((a) => a.risk_indicators ?? []));
  add('risk_indicators.count', (i) => alerts[i].risk_indicators?.length ?? 0);
  add('risk_indicators.min_freq', (i) =>
    Math.min(1, ...(alerts[i].risk_indicators ?? []).map((r) => indicatorFreq.get(r)! / n)),
  );
  const keySets = alerts.map((a) => evidenceKeys(a.evidence_json));
  const keyFreq = counts(keySets);
  add('evidence.keys_freq', (i) => keyFreq.get(keySets[i])! / n);
  // Whether the description states the alert's own volume (real texts that quote an amount quote it).
  add('description.states_volume', (i) => {
    const text = alerts[i].description;
    const v = alerts[i].volume_usd;
    if (!text || !Number.isFinite(v)) return Number.NaN;
    const digits = text.replace(/(\d),(?=\d{3})/g, '$1');
    return digits.includes(String(v)) ? 1 : 0;
  });
  add('evidence.timestamps_in_window', (i) => {
    const stamps = (alerts[i].evidence_json ?? '').match(/(?<![\w.])1\d{12}(?![\w])/g) ?? [];
    return stamps.length === 0
      ? Number.NaN
      : stamps.filter((s) => +s >= windowStart && +s < windowEnd).length / stamps.length;
  });

  // Feature row.
  const rowOf = new Map<string, number>();
  batch.features.address.forEach((a, r) => {
    rowOf.set(a, r);
  });
  const rows = batch.features.address.length;
  const row = alerts.map((a) => rowOf.get(a.address) ?? -1);
  add('row.present', (i) => (row[i] >= 0 ? 1 : 0));
  add('row.position', (i) => (row[i] >= 0 ? row[i] / Math.max(1, rows - 1) : Number.NaN));
  const nulls = new Float64Array(n);
  const duplicated = new Float64Array(n);
  const decimalSum = new Float64Array(n);
  const present = new Float64Array(n);
  for (const [name, values] of batch.features.columns) {
    const freq = counts([...values].filter((v) => !Number.isNaN(v)));
    add(`f.${name}`, (i) => (row[i] >= 0 ? values[row[i]] : Number.NaN));
    for (let i = 0; i < n; i++) {
      if (row[i] < 0) continue;
      const v = values[row[i]];
      if (Number.isNaN(v)) {
        nulls[i]++;
        continue;
      }
      present[i]++;
      decimalSum[i] += decimalsOf(v);
      if (!Number.isInteger(v) && freq.get(v)! > 1) duplicated[i]++;
    }
  }
  add('row.nulls', (i) => (row[i] >= 0 ? nulls[i] : Number.NaN));
  add('row.duplicated_cells', (i) => (row[i] >= 0 ? duplicated[i] : Number.NaN));
  add('row.mean_decimals', (i) => (present[i] > 0 ? decimalSum[i] / present[i] : Number.NaN));

  // Flows.
  const alertAddresses = new Set(alerts.map((a) => a.address));
  const degree = new Map<string, number>();
  for (const f of batch.money_flows) {
    degree.set(f.from_address, (degree.get(f.from_address) ?? 0) + 1);
    degree.set(f.to_address, (degree.get(f.to_address) ?? 0) + 1);
  }
  const flowSig = counts(
    batch.money_flows.map((f) => `${f.amount_usd_sum}|${f.first_seen_timestamp}|${f.last_seen_timestamp}`),
  );
  const byAddress = new Map<string, number[]>();
  batch.money_flows.forEach((f, k) => {
    for (const a of new Set([f.from_address, f.to_address])) {
      if (!byAddress.has(a)) byAddress.set(a, []);
      byAddress.get(a)!.push(k);
    }
  });
  const flowStat = (i: number, f: (ks: number[], own: string) => number) => {
    const ks = byAddress.get(alerts[i].address) ?? [];
    return ks.length === 0 ? Number.NaN : f(ks, alerts[i].address);
  };
  const other = (k: number, own: string) => {
    const f = batch.money_flows[k];
    return f.from_address === own ? f.to_address : f.from_address;
  };
  add(
    'flows.out',
    (i) =>
      (byAddress.get(alerts[i].address) ?? []).filter(
        (k) => batch.money_flows[k].from_address === alerts[i].address,
      ).length,
  );
  add(
    'flows.in',
    (i) =>
      (byAddress.get(alerts[i].address) ?? []).filter(
        (k) => batch.money_flows[k].to_address === alerts[i].address,
      ).length,
  );
  add('flows.amount', (i) =>
    flowStat(i, (ks) => ks.reduce((s, k) => s + (batch.money_flows[k].amount_usd_sum || 0), 0)),
  );
  add('flows.to_alerts', (i) =>
    flowStat(i, (ks, own) => ks.filter((k) => alertAddresses.has(other(k, own))).length / ks.length),
  );
  add('flows.to_rows', (i) =>
    flowStat(i, (ks, own) => ks.filter((k) => rowOf.has(other(k, own))).length / ks.length),
  );
  add('flows.counterparty_degree', (i) =>
    flowStat(i, (ks, own) => ks.reduce((s, k) => s + degree.get(other(k, own))!, 0) / ks.length),
  );
  add('flows.duplicated', (i) =>
    flowStat(
      i,
      (ks) =>
        ks.filter((k) => {
          const f = batch.money_flows[k];
          return flowSig.get(`${f.amount_usd_sum}|${f.first_seen_timestamp}|${f.last_seen_timestamp}`)! > 1;
        }).length,
    ),
  );
  add('flows.position', (i) =>
    flowStat(
      i,
      (ks) => ks.reduce((s, k) => s + k, 0) / ks.length / Math.max(1, batch.money_flows.length - 1),
    ),
  );
  // A flow out of the table's order (tables sorted by time stay sorted in real batches).
  const firstSeen = batch.money_flows.map((f) => f.first_seen_timestamp);
  const outOfOrder = (k: number) =>
    (k > 0 && firstSeen[k - 1] > firstSeen[k]) ||
    (k + 1 < firstSeen.length && firstSeen[k] > firstSeen[k + 1])
      ? 1
      : 0;
  add('flows.out_of_order', (i) =>
    flowStat(i, (ks) => ks.reduce((s, k) => s + outOfOrder(k), 0) / ks.length),
  );
  add('flows.first_seen', (i) =>
    flowStat(
      i,
      (ks) =>
        (Math.min(...ks.map((k) => batch.money_flows[k].first_seen_timestamp)) - windowStart) / 86_400_000,
    ),
  );
  add('flows.amount_decimals', (i) =>
    flowStat(
      i,
      (ks) => ks.reduce((s, k) => s + decimalsOf(batch.money_flows[k].amount_usd_sum), 0) / ks.length,
    ),
  );

  // Clusters.
  const named = new Map<string, number[]>();
  batch.clusters.forEach((c, ci) => {
    for (const id of new Set([
      ...(c.related_alert_ids ?? []),
      ...(c.primary_alert_id ? [c.primary_alert_id] : []),
    ])) {
      if (!named.has(id)) named.set(id, []);
      named.get(id)!.push(ci);
    }
  });
  add('clusters.count', (i) => named.get(alerts[i].alert_id)?.length ?? 0);
  add('clusters.max_size', (i) =>
    Math.max(
      0,
      ...(named.get(alerts[i].alert_id) ?? []).map((ci) => batch.clusters[ci].related_alert_ids?.length ?? 0),
    ),
  );
  add('clusters.primary', (i) =>
    (named.get(alerts[i].alert_id) ?? []).some(
      (ci) => batch.clusters[ci].primary_alert_id === alerts[i].alert_id,
    )
      ? 1
      : 0,
  );
  add('clusters.address_listed', (i) => {
    const cs = named.get(alerts[i].alert_id) ?? [];
    return cs.length === 0
      ? Number.NaN
      : cs.some((ci) => (batch.clusters[ci].addresses_involved ?? []).includes(alerts[i].address))
        ? 1
        : 0;
  });
  add('clusters.primary_address', (i) => {
    const cs = named.get(alerts[i].alert_id) ?? [];
    return cs.length === 0
      ? Number.NaN
      : cs.some((ci) => batch.clusters[ci].primary_address === alerts[i].address)
        ? 1
        : 0;
  });

  const values = new Float64Array(n * names.length);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < names.length; j++) values[i * names.length + j] = cols[j][i];
  return { names, values, numRows: n };
}
