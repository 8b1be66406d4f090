import { describe, expect, it } from 'vitest';
import { isAmlError } from '../errors.js';
import { AddressLabelSchema } from '../schemas/address-label.js';
import { AlertSchema, KNOWN_TYPOLOGIES } from '../schemas/alert.js';
import { ClusterSchema } from '../schemas/cluster.js';
import { CORE_FEATURE_COLUMNS } from '../schemas/features.js';
import { MoneyFlowSchema } from '../schemas/money-flow.js';
import { UPSTREAM_NUMERIC_COLUMNS } from '../schemas/upstream-features.js';
import { type GeneratedBatch, generateBatch } from './generate.js';

const cache = new Map<string, GeneratedBatch>();
function gen(alerts: number, seed: number, difficulty = 0.5): GeneratedBatch {
  const key = `${alerts}:${seed}:${difficulty}`;
  let g = cache.get(key);
  if (!g) {
    g = generateBatch({ date: '2026-01-01', alerts, seed, difficulty });
    cache.set(key, g);
  }
  return g;
}

/** JSON of a batch with the columnar features spelled out (Map and Float64Array do not stringify). */
function serialise(g: GeneratedBatch): string {
  const features = [...g.batch.features.columns].map(([name, col]) => [name, Array.from(col)]);
  return JSON.stringify({
    ...g.batch,
    features: { address: g.batch.features.address, features },
    labels: g.labels,
  });
}

/** Mann–Whitney AUC, brute force over all pairs (ties count one half). */
function auc(scores: number[], positive: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!positive[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (positive[j]) continue;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('generateBatch', () => {
  it('is byte-identical for the same options and differs for another seed', () => {
    const a = serialise(generateBatch({ date: '2026-01-01', alerts: 300, seed: 11 }));
    const b = serialise(generateBatch({ date: '2026-01-01', alerts: 300, seed: 11 }));
    const c = serialise(generateBatch({ date: '2026-01-01', alerts: 300, seed: 12 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('fills every table with schema-valid rows and hits the alert target', () => {
    const g = gen(2000, 1);
    expect(g.batch.alerts).toHaveLength(2000);
    expect(g.batch.key).toEqual({ network: 'torus', processing_date: '2026-01-01', window_days: 7 });
    for (const alert of g.batch.alerts) {
      const parsed = AlertSchema.parse(alert);
      expect(parsed.alert_id).toMatch(/^alert_torus_2026-01-01_\d{6}$/);
      expect(parsed.address).toMatch(/^5[1-9A-HJ-NP-Za-km-z]{47}$/);
      expect(KNOWN_TYPOLOGIES).toContain(parsed.typology_type);
      expect(parsed.alert_confidence_score).toBeGreaterThanOrEqual(0);
      expect(parsed.volume_usd).toBeGreaterThanOrEqual(0);
      expect(parsed.risk_indicators.length + (parsed.description?.length ?? 0)).toBeGreaterThan(0);
      const evidence = JSON.parse(parsed.evidence_json as string);
      expect(evidence.window_days).toBe(7);
    }
    for (const c of g.batch.clusters) ClusterSchema.parse(c);
    for (const f of g.batch.money_flows) MoneyFlowSchema.parse(f);
    for (const l of g.labels) AddressLabelSchema.parse(l);
    // exactly the upstream table's numeric columns, in its order: nothing invented
    expect([...g.batch.features.columns.keys()]).toEqual([...UPSTREAM_NUMERIC_COLUMNS]);
    for (const col of g.batch.features.columns.values())
      expect(col.length).toBe(g.batch.features.address.length);
  });

  it('keeps the tables consistent with each other', () => {
    const g = gen(2000, 1);
    const ids = new Set(g.batch.alerts.map((a) => a.alert_id));
    expect(ids.size).toBe(g.batch.alerts.length);
    const row = new Map(g.batch.features.address.map((a, i) => [a, i]));
    expect(row.size).toBe(g.batch.features.address.length);
    for (const a of g.batch.alerts) expect(row.has(a.address)).toBe(true);
    const clusterIds = new Set<string>();
    for (const c of g.batch.clusters) {
      expect(clusterIds.has(c.cluster_id)).toBe(false);
      clusterIds.add(c.cluster_id);
      for (const id of c.related_alert_ids) expect(ids.has(id)).toBe(true);
      expect(c.related_alert_ids).toContain(c.primary_alert_id);
      expect(c.total_alerts).toBe(c.related_alert_ids.length);
      expect(c.earliest_alert_timestamp).toBeLessThanOrEqual(c.latest_alert_timestamp);
    }
    // evidence names counterparties that are in the features table
    for (const a of g.batch.alerts.slice(0, 200)) {
      for (const cp of JSON.parse(a.evidence_json as string).top_counterparties)
        expect(row.has(cp)).toBe(true);
    }
    const col = (name: string) => g.batch.features.columns.get(name) as Float64Array;
    const inFlows = new Map<string, { n: number; sum: number; tx: number }>();
    const pairs = new Set<string>();
    const start = Date.parse('2026-01-01T00:00:00Z') - 6 * 86_400_000;
    const end = Date.parse('2026-01-02T00:00:00Z');
    for (const f of g.batch.money_flows) {
      expect(row.has(f.from_address) && row.has(f.to_address)).toBe(true);
      expect(f.from_address).not.toBe(f.to_address);
      const key = `${f.from_address}>${f.to_address}`;
      expect(pairs.has(key)).toBe(false);
      pairs.add(key);
      expect(f.first_seen_timestamp).toBeGreaterThanOrEqual(start);
      expect(f.last_seen_timestamp).toBeLessThan(end);
      expect(f.active_days).toBeLessThanOrEqual(Math.min(f.tx_count, 7));
      const e = inFlows.get(f.to_address) ?? { n: 0, sum: 0, tx: 0 };
      e.n++;
      e.sum += f.amount_usd_sum;
      e.tx += f.tx_count;
      inFlows.set(f.to_address, e);
    }
    for (const f of g.batch.money_flows) {
      expect(f.is_bidirectional).toBe(pairs.has(`${f.to_address}>${f.from_address}`));
    }
    // for an alerted address whose counterparties are all in scope, the flows into it are exactly its in-degree
    let checked = 0;
    for (const a of new Set(g.batch.alerts.map((x) => x.address))) {
      const i = row.get(a) as number;
      if (col('unique_counterparties')[i] > 3) continue;
      const e = inFlows.get(a) ?? { n: 0, sum: 0, tx: 0 };
      expect(e.n).toBe(col('degree_in')[i]);
      expect(e.tx).toBe(col('tx_in_count')[i]);
      expect(e.sum).toBeCloseTo(col('total_in_usd')[i], 1);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    // row-level identities
    for (let i = 0; i < g.batch.features.address.length; i++) {
      expect(col('degree_total')[i]).toBe(col('degree_in')[i] + col('degree_out')[i]);
      expect(col('tx_total_count')[i]).toBe(col('tx_in_count')[i] + col('tx_out_count')[i]);
      expect(col('total_volume_usd')[i]).toBeCloseTo(col('total_in_usd')[i] + col('total_out_usd')[i], 4);
      expect(col('unique_counterparties')[i]).toBe(col('khop1_count')[i]);
    }
    // every alerted address is labelled
    const labelled = new Set(g.labels.map((l) => l.address));
    for (const a of g.batch.alerts) expect(labelled.has(a.address)).toBe(true);
  });

  it('raises every typology at 5k alerts, with hard negatives and noisy labels', () => {
    const g = gen(5000, 2);
    const seen = new Set(g.batch.alerts.map((a) => a.typology_type));
    for (const t of KNOWN_TYPOLOGIES) expect(seen).toContain(t);
    const planted = new Set(g.truth.alerts.filter((t) => t.positive).map((t) => t.planted_typology));
    for (const t of KNOWN_TYPOLOGIES) expect(planted).toContain(t);
    expect(g.truth.alerts.some((t) => t.hard_negative)).toBe(true);
    expect(g.truth.alerts.some((t) => t.label_noise)).toBe(true);
    // detectors fire on benign addresses too, for every rule
    for (const t of KNOWN_TYPOLOGIES)
      expect(g.truth.alerts.some((x) => x.rule === t && !x.illicit)).toBe(true);
  });

  it('keeps the positive rate between 10% and 20% at default difficulty', () => {
    for (const seed of [1, 2, 3]) {
      const g = gen(seed === 2 ? 5000 : 2000, seed);
      const labelByAddress = new Map(g.labels.map((l) => [l.address, l.risk_level]));
      const positives = g.batch.alerts.filter((a) => {
        const level = labelByAddress.get(a.address);
        return level === 'high' || level === 'critical';
      }).length;
      const rate = positives / g.batch.alerts.length;
      expect(rate).toBeCloseTo(g.truth.positive_rate, 10);
      expect(rate).toBeGreaterThanOrEqual(0.1);
      expect(rate).toBeLessThanOrEqual(0.2);
    }
  });

  it('makes the detector confidence less separating as difficulty rises', () => {
    const easy = gen(1500, 5, 0.05);
    const hard = gen(1500, 5, 0.95);
    const aucOf = (g: GeneratedBatch) =>
      auc(
        g.batch.alerts.map((a) => a.alert_confidence_score),
        g.truth.alerts.map((t) => t.positive),
      );
    const easyAuc = aucOf(easy);
    const hardAuc = aucOf(hard);
    expect(easyAuc).toBeGreaterThan(0.85);
    expect(hardAuc).toBeLessThan(easyAuc - 0.1);
    // a simple feature rule loses separability too
    const ruleAuc = (g: GeneratedBatch) => {
      const row = new Map(g.batch.features.address.map((a, i) => [a, i]));
      const col = g.batch.features.columns.get('behavioral_anomaly_score') as Float64Array;
      return auc(
        g.batch.alerts.map((a) => col[row.get(a.address) as number]),
        g.truth.alerts.map((t) => t.positive),
      );
    };
    expect(ruleAuc(hard)).toBeLessThan(ruleAuc(easy) - 0.1);
    const hardNeg = (g: GeneratedBatch) =>
      g.truth.alerts.filter((t) => t.hard_negative).length / g.truth.alerts.length;
    expect(hardNeg(hard)).toBeGreaterThan(hardNeg(easy));
  });

  it('exports the core set only, or a subset of groups, with missing cells and rounding as asked', () => {
    const core = generateBatch({
      date: '2026-01-01',
      alerts: 400,
      seed: 21,
      regime: { export: { featureColumns: 'core', missingRate: 0.2, amountDecimals: 0 } },
    });
    expect([...core.batch.features.columns.keys()]).toEqual([...CORE_FEATURE_COLUMNS]);
    const pagerank = core.batch.features.columns.get('pagerank') as Float64Array;
    const missing = pagerank.filter(Number.isNaN).length / pagerank.length;
    // core columns go missing at a quarter of the rate (0.3..1.7 × 0.05), counts never
    expect(missing).toBeGreaterThan(0.005);
    expect(missing).toBeLessThan(0.15);
    expect((core.batch.features.columns.get('degree_in') as Float64Array).some(Number.isNaN)).toBe(false);
    for (const v of core.batch.features.columns.get('total_in_usd') as Float64Array)
      expect(v).toBe(Math.round(v));
    for (const a of core.batch.alerts) expect(a.volume_usd).toBe(Math.round(a.volume_usd));
    const some = generateBatch({
      date: '2026-01-01',
      alerts: 400,
      seed: 21,
      regime: { export: { featureColumns: 'core+some' } },
    });
    const n = some.batch.features.columns.size;
    expect(n).toBeGreaterThan(CORE_FEATURE_COLUMNS.length);
    expect(n).toBeLessThan(UPSTREAM_NUMERIC_COLUMNS.length);
    for (const name of some.batch.features.columns.keys()) expect(UPSTREAM_NUMERIC_COLUMNS).toContain(name);
  });

  it('rejects bad options with readable AmlErrors', () => {
    const bad = [
      { date: '2026-02-30', alerts: 10, seed: 1 },
      { date: 'yesterday', alerts: 10, seed: 1 },
      { date: '2026-01-01', alerts: -5, seed: 1 },
      { date: '2026-01-01', alerts: 1.5, seed: 1 },
      { date: '2026-01-01', alerts: 10, seed: Number.NaN },
      { date: '2026-01-01', alerts: 10, seed: 1, difficulty: 2 },
      { date: '2026-01-01', alerts: 10, seed: 1, windowDays: 0 },
      { date: '2026-01-01', alerts: 10, seed: 1, network: 'Bad Net' },
      { date: '2026-01-01', alerts: 10, seed: 1, regime: { amountScale: -1 } },
      {
        date: '2026-01-01',
        alerts: 10,
        seed: 1,
        regime: {
          typologyMix: {
            fan_in: 0,
            layering: 0,
            fan_out: 0,
            cycle: 0,
            peel_chain: 0,
            structuring: 0,
            mixer_interaction: 0,
          },
        },
      },
    ];
    for (const o of bad) {
      let err: unknown;
      try {
        generateBatch(o);
      } catch (e) {
        err = e;
      }
      expect(isAmlError(err)).toBe(true);
    }
  });

  it('works from a single alert and on other networks and windows', () => {
    const one = generateBatch({
      date: '2025-06-30',
      alerts: 1,
      seed: 3,
      network: 'ethereum',
      windowDays: 30,
    });
    expect(one.batch.alerts).toHaveLength(1);
    expect(one.batch.alerts[0].address).toMatch(/^0x[0-9a-f]{40}$/);
    expect(one.batch.alerts[0].alert_id).toMatch(/^alert_ethereum_2025-06-30_/);
    expect(one.batch.key.window_days).toBe(30);
  });
});
