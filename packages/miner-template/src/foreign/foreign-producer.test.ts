import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkBatchIntegrity } from '../data/integrity.js';
import { auc } from '../gbdt/metric/auc.js';
import { AddressLabelSchema, isPositiveRiskLevel } from '../schemas/address-label.js';
import { AlertSchema, KNOWN_TYPOLOGIES } from '../schemas/alert.js';
import { ClusterSchema } from '../schemas/cluster.js';
import { CORE_FEATURE_COLUMNS } from '../schemas/features.js';
import { MoneyFlowSchema } from '../schemas/money-flow.js';
import {
  type ForeignBatch,
  type ForeignBatchOptions,
  type ForeignStyle,
  generateForeignBatch,
} from './index.js';

/** The upstream table's features (docs/data-contracts.md), transcribed apart from schemas/upstream-features.ts (numeric and boolean columns only). */
const UPSTREAM_FEATURE_NAMES = new Set(
  `degree_in degree_out degree_total unique_counterparties total_in_usd total_out_usd net_flow_usd
  total_volume_usd avg_tx_in_usd avg_tx_out_usd median_tx_in_usd median_tx_out_usd max_tx_usd min_tx_usd
  amount_variance amount_skewness amount_kurtosis volume_std volume_cv flow_concentration tx_in_count
  tx_out_count tx_total_count activity_days activity_span_days avg_daily_volume_usd peak_hour peak_day
  regularity_score burst_factor reciprocity_ratio flow_diversity counterparty_concentration
  concentration_ratio velocity_score structuring_score unique_assets_in unique_assets_out
  asset_diversity_score peak_activity_hour peak_activity_day hourly_entropy daily_entropy
  weekend_transaction_ratio night_transaction_ratio small_transaction_ratio consistency_score pagerank
  betweenness closeness clustering_coefficient kcore community_id centrality_score khop1_count khop2_count
  khop3_count khop1_volume_usd khop2_volume_usd khop3_volume_usd flow_reciprocity_entropy
  counterparty_stability flow_burstiness transaction_regularity amount_predictability
  behavioral_anomaly_score graph_anomaly_score neighborhood_anomaly_score global_anomaly_score
  outlier_transactions suspicious_pattern_score is_exchange_like is_whale is_mixer_like is_contract_like
  is_new_address is_dormant_reactivated is_high_volume_trader is_hub_address is_retail_active
  is_whale_inactive is_retail_inactive is_regular_user unique_recipients_count unique_senders_count
  completeness_score quality_score outlier_score confidence_score first_activity_timestamp
  last_activity_timestamp`.split(/\s+/),
);

const DATE = '2025-03-14';
const WINDOW_END = Date.parse(`${DATE}T00:00:00Z`) + 86_400_000;
const WINDOW_START = WINDOW_END - 7 * 86_400_000;

const cache = new Map<string, ForeignBatch>();
function batchFor(options: Omit<ForeignBatchOptions, 'date'>): ForeignBatch {
  const key = JSON.stringify(options);
  let batch = cache.get(key);
  if (batch === undefined) {
    batch = generateForeignBatch({ date: DATE, ...options });
    cache.set(key, batch);
  }
  return batch;
}

const big = (seed: number) => batchFor({ seed, alerts: 2000 });

function positivesByAddress(g: ForeignBatch): Map<string, number> {
  return new Map(g.labels.map((l) => [l.address, isPositiveRiskLevel(l.risk_level) ? 1 : 0]));
}

const ALERT_ID_FORMATS: Record<ForeignStyle['alertId'], RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  'prefixed-base36': /^ALR-[0-9A-Z]{6}$/,
  numeric: /^[1-9]\d{8}$/,
};
const ADDRESS_FORMATS: Record<ForeignStyle['address'], RegExp> = {
  evm: /^0x[0-9a-f]{40}$/,
  bech32: /^bc1q[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{38}$/,
  base58: /^[13][1-9A-HJ-NP-Za-km-z]{33}$/,
};

describe('generateForeignBatch', () => {
  it('is deterministic: the same options give deep-equal output, another seed does not', () => {
    const options = { seed: 42, date: DATE, alerts: 400 };
    const a = generateForeignBatch(options);
    const b = generateForeignBatch(options);
    expect(b).toEqual(a);
    const other = generateForeignBatch({ ...options, seed: 43 });
    expect(other.batch.alerts.map((x) => x.address)).not.toEqual(a.batch.alerts.map((x) => x.address));
  });

  it('hits the requested alert count exactly, from 1 alert up', () => {
    for (const alerts of [1, 2, 7, 150]) {
      expect(generateForeignBatch({ seed: 5, date: DATE, alerts }).batch.alerts).toHaveLength(alerts);
    }
    expect(big(1).batch.alerts).toHaveLength(2000);
  });

  it('emits rows every zod schema accepts unchanged, and an intact batch', () => {
    const g = big(1);
    const { batch } = g;
    for (const alert of batch.alerts) expect(AlertSchema.parse(alert)).toEqual(alert);
    for (const cluster of batch.clusters) expect(ClusterSchema.parse(cluster)).toEqual(cluster);
    for (const flow of batch.money_flows) expect(MoneyFlowSchema.parse(flow)).toEqual(flow);
    for (const label of g.labels) expect(AddressLabelSchema.parse(label)).toEqual(label);
    expect(checkBatchIntegrity(batch)).toEqual([]);
    expect(batch.key).toEqual({ network: 'ethereum', processing_date: DATE, window_days: 7 });
    for (const values of batch.features.columns.values())
      expect(values).toHaveLength(batch.features.address.length);
    expect(batch.clusters.length).toBeGreaterThan(10);
    expect(batch.money_flows.length).toBeGreaterThan(batch.alerts.length);
  });

  it('keeps the tables consistent with one another', () => {
    const { batch, labels, style } = big(2);
    const unit = 10 ** -style.amountDecimals;
    const alertIds = new Set(batch.alerts.map((a) => a.alert_id));
    const volumeOf = new Map(batch.alerts.map((a) => [a.address, a.volume_usd]));
    for (const c of batch.clusters) {
      expect(c.related_alert_ids.length).toBeGreaterThanOrEqual(2);
      for (const id of c.related_alert_ids) expect(alertIds.has(id)).toBe(true);
      expect(c.related_alert_ids).toContain(c.primary_alert_id);
      expect(c.total_alerts).toBe(c.related_alert_ids.length);
      const members = batch.alerts.filter((a) => c.related_alert_ids.includes(a.alert_id));
      expect(
        Math.abs(c.total_volume_usd - members.reduce((s, a) => s + a.volume_usd, 0)),
      ).toBeLessThanOrEqual(unit * 2);
      for (const a of members) expect(c.addresses_involved).toContain(a.address);
      expect(c.earliest_alert_timestamp).toBeLessThanOrEqual(c.latest_alert_timestamp);
      expect(c.earliest_alert_timestamp).toBeGreaterThanOrEqual(WINDOW_START);
      expect(c.latest_alert_timestamp).toBeLessThan(WINDOW_END);
    }
    // Flows aggregate the same transfers the alert volumes count.
    const flowVolume = new Map<string, number>();
    const flowCount = new Map<string, number>();
    for (const f of batch.money_flows) {
      expect(f.first_seen_timestamp).toBeGreaterThanOrEqual(WINDOW_START);
      expect(f.last_seen_timestamp).toBeLessThan(WINDOW_END);
      expect(f.first_seen_timestamp).toBeLessThanOrEqual(f.last_seen_timestamp);
      expect(volumeOf.has(f.from_address) || volumeOf.has(f.to_address)).toBe(true);
      for (const address of [f.from_address, f.to_address]) {
        flowVolume.set(address, (flowVolume.get(address) ?? 0) + f.amount_usd_sum);
        flowCount.set(address, (flowCount.get(address) ?? 0) + 1);
      }
    }
    for (const [address, volume] of volumeOf) {
      expect(Math.abs(flowVolume.get(address)! - volume)).toBeLessThanOrEqual(
        unit * (flowCount.get(address)! + 1),
      );
    }
    // Features agree with alert volumes where the row exists; every flow endpoint but a few has a row.
    const row = new Map(batch.features.address.map((a, i) => [a, i]));
    const total = batch.features.columns.get('total_volume_usd')!;
    let withRow = 0;
    for (const [address, volume] of volumeOf) {
      const i = row.get(address);
      if (i === undefined) continue;
      withRow++;
      expect(Math.abs(total[i] - volume)).toBeLessThanOrEqual(unit * 2);
    }
    expect(withRow / volumeOf.size).toBeGreaterThan(0.97);
    expect(new Set(labels.map((l) => l.address)).size).toBe(labels.length);
    for (const address of volumeOf.keys()) expect(labels.some((l) => l.address === address)).toBe(true);
  });

  it('gives every style variant its own formats', () => {
    for (const alertId of Object.keys(ALERT_ID_FORMATS) as ForeignStyle['alertId'][]) {
      const g = batchFor({ seed: 7, alerts: 150, style: { alertId } });
      expect(g.style.alertId).toBe(alertId);
      for (const a of g.batch.alerts) expect(a.alert_id).toMatch(ALERT_ID_FORMATS[alertId]);
    }
    for (const address of Object.keys(ADDRESS_FORMATS) as ForeignStyle['address'][]) {
      const g = batchFor({ seed: 7, alerts: 150, style: { address } });
      const pattern = ADDRESS_FORMATS[address];
      for (const a of g.batch.alerts) expect(a.address).toMatch(pattern);
      for (const a of g.batch.features.address) expect(a).toMatch(pattern);
      for (const f of g.batch.money_flows) expect(`${f.from_address} ${f.to_address}`).toMatch(/^\S+ \S+$/);
    }
    for (const amountDecimals of [0, 2, 6] as const) {
      const g = batchFor({ seed: 7, alerts: 150, style: { amountDecimals } });
      const scale = 10 ** amountDecimals;
      const onGrid = (x: number) =>
        Math.abs(x * scale - Math.round(x * scale)) < 1e-6 * Math.max(1, Math.abs(x * scale));
      for (const a of g.batch.alerts) expect(onGrid(a.volume_usd)).toBe(true);
      for (const f of g.batch.money_flows)
        expect(onGrid(f.amount_usd_sum) && onGrid(f.avg_tx_size_usd)).toBe(true);
      for (const v of g.batch.features.columns.get('total_in_usd')!) expect(onGrid(v)).toBe(true);
    }
    const core = batchFor({ seed: 7, alerts: 150, style: { featureColumns: 'core' } });
    expect([...core.batch.features.columns.keys()].sort()).toEqual([...CORE_FEATURE_COLUMNS].sort());
    const some = batchFor({ seed: 7, alerts: 150, style: { featureColumns: 'core+some' } });
    const all = batchFor({ seed: 7, alerts: 150, style: { featureColumns: 'all' } });
    expect(some.batch.features.columns.size).toBeGreaterThan(CORE_FEATURE_COLUMNS.length);
    expect(some.batch.features.columns.size).toBeLessThan(all.batch.features.columns.size);
    expect(all.batch.features.columns.size).toBe(UPSTREAM_FEATURE_NAMES.size);
  });

  it('draws the style from the seed unless told', () => {
    const styles = new Set(
      [1, 2, 3, 4, 5, 6, 7, 8].map((seed) =>
        JSON.stringify(generateForeignBatch({ seed, date: DATE, alerts: 3 }).style),
      ),
    );
    expect(styles.size).toBeGreaterThan(4);
    const forced = generateForeignBatch({
      seed: 1,
      date: DATE,
      alerts: 3,
      style: { missingRate: 0.9, address: 'evm' },
    });
    expect(forced.style.missingRate).toBe(0.4);
    expect(forced.style.address).toBe('evm');
  });

  it('puts about 8-25% positives in the alerts', () => {
    for (const seed of [1, 2, 3]) {
      const g = big(seed);
      const positive = positivesByAddress(g);
      const share =
        g.batch.alerts.filter((a) => positive.get(a.address) === 1).length / g.batch.alerts.length;
      expect(share).toBeCloseTo(g.positiveRate, 10);
      expect(share).toBeGreaterThanOrEqual(0.08);
      expect(share).toBeLessThanOrEqual(0.25);
    }
  });

  it('makes alert_confidence_score only weakly informative', () => {
    for (const seed of [1, 2, 3]) {
      const g = big(seed);
      const positive = positivesByAddress(g);
      const scores = g.batch.alerts.map((a) => a.alert_confidence_score);
      const labels = g.batch.alerts.map((a) => positive.get(a.address)!);
      const value = auc(scores, labels);
      expect(value).toBeGreaterThanOrEqual(0.55);
      expect(value).toBeLessThanOrEqual(0.65);
    }
  });

  it('uses only upstream feature names, with the core set in every style', () => {
    for (const featureColumns of ['core', 'core+some', 'all'] as const) {
      for (const seed of [3, 4]) {
        const names = [
          ...batchFor({ seed, alerts: 150, style: { featureColumns } }).batch.features.columns.keys(),
        ];
        for (const name of names) expect(UPSTREAM_FEATURE_NAMES.has(name)).toBe(true);
        for (const name of CORE_FEATURE_COLUMNS) expect(names).toContain(name);
      }
    }
    for (const seed of [1, 2, 3]) {
      for (const name of big(seed).batch.features.columns.keys())
        expect(UPSTREAM_FEATURE_NAMES.has(name)).toBe(true);
    }
  });

  it('leaves gaps that follow the data, below 60% in every column', () => {
    for (const missingRate of [0.05, 0.4]) {
      const { batch } = batchFor({ seed: 11, alerts: 1000, style: { featureColumns: 'all', missingRate } });
      const n = batch.features.address.length;
      const shares = new Map<string, number>();
      for (const [name, values] of batch.features.columns) {
        let missing = 0;
        for (const v of values) if (Number.isNaN(v)) missing++;
        shares.set(name, missing / n);
        expect(missing / n).toBeLessThan(0.6);
      }
      expect(shares.get('tx_total_count')).toBe(0);
      expect(shares.get('degree_total')).toBe(0);
      expect([...shares.values()].filter((s) => s > 0).length).toBeGreaterThan(30);
      // Timing features vanish for single-transfer wallets, whatever the random rate.
      const count = batch.features.columns.get('tx_total_count')!;
      const span = batch.features.columns.get('activity_span_days')!;
      for (let i = 0; i < n; i++) if (count[i] < 2) expect(Number.isNaN(span[i])).toBe(true);
      // Core columns are gappier at the higher rate, but less than the rest.
      const coreMean =
        CORE_FEATURE_COLUMNS.reduce((s, c) => s + shares.get(c)!, 0) / CORE_FEATURE_COLUMNS.length;
      const rest = [...shares].filter(
        ([name]) => !(CORE_FEATURE_COLUMNS as readonly string[]).includes(name),
      );
      const restMean = rest.reduce((s, [, v]) => s + v, 0) / rest.length;
      expect(coreMean).toBeLessThan(restMean);
    }
  });

  it('does not look like our own generator', () => {
    const g = big(1);
    for (const a of g.batch.alerts) expect(a.alert_id).not.toMatch(/^alert_/);
    for (const c of g.batch.clusters) expect(c.cluster_id).toMatch(/^CL\d{7}$/);
    const typologies = new Set(g.batch.alerts.map((a) => a.typology_type));
    const own = [...typologies].filter((t) => !(KNOWN_TYPOLOGIES as readonly string[]).includes(t));
    expect(own.length).toBeGreaterThan(3);
    expect(new Set(g.labels.map((l) => l.source))).toEqual(new Set(['foreign-sim']));
    const pageranks = g.batch.features.columns.get('pagerank')!.filter((v) => !Number.isNaN(v));
    expect(Math.max(...pageranks)).toBeLessThan(0.2);
    for (const a of g.batch.alerts) {
      if (a.pattern_id !== undefined) expect(a.pattern_id).toMatch(/^P-[0-9a-f]{10}$/);
      if (a.evidence_json !== undefined)
        expect(Object.keys(JSON.parse(a.evidence_json))).toContain('rule_id');
    }
    const missingOptional = g.batch.alerts.filter(
      (a) => a.description === undefined || a.pattern_id === undefined,
    );
    expect(missingOptional.length).toBeGreaterThan(0);
  });

  it('imports nothing from src/synthetic', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    for (const file of readdirSync(here).filter((f) => f.endsWith('.ts'))) {
      expect(readFileSync(join(here, file), 'utf8')).not.toMatch(/from '\.\.\/synthetic/);
    }
  });

  it('rejects options outside the contract', () => {
    expect(() => generateForeignBatch({ seed: 1, date: DATE, alerts: 0 })).toThrow(RangeError);
    expect(() => generateForeignBatch({ seed: 1, date: DATE, alerts: 100_001 })).toThrow(RangeError);
    expect(() => generateForeignBatch({ seed: 1, date: '2025-02-30', alerts: 5 })).toThrow(RangeError);
    expect(() => generateForeignBatch({ seed: 1, date: DATE, alerts: 5, network: 'Bad Net' })).toThrow(
      RangeError,
    );
  });
});
