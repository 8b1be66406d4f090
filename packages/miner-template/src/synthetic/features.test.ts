import { describe, expect, it } from 'vitest';
import { computeFeatures, FEATURE_COUNT, type FeatureContext, makeScratch } from './features.js';
import { neighbourSums } from './features-upstream.js';
import { aggregateFlows, undirectedGraph } from './flows.js';
import { coreNumbers, pagerank } from './graph.js';
import { KIND, Population } from './population.js';
import { COL } from './row-layout.js';
import { indexByAddress, TxStore } from './tx-store.js';
import { DAY_MS, HOUR_MS } from './world.js';

const START = Date.UTC(2025, 11, 26); // window of 7 days ending 2026-01-01T24:00Z
const at = (day: number, hour: number) => START + day * DAY_MS + hour * HOUR_MS + 60_000;

/** A hand-made ledger around address 0 (an old address) and 5 (new this window, a mixer's counterparty). */
function context(): FeatureContext {
  const pop = new Population('torus', 1, 8);
  pop.add(KIND.retail, -400); // 0
  pop.add(KIND.retail, -30); // 1
  pop.add(KIND.retail, -30); // 2
  pop.add(KIND.exchange, -900); // 3
  pop.add(KIND.retail, -10); // 4
  pop.add(KIND.retail, 2); // 5
  pop.add(KIND.mixer, -500); // 6
  const s = new TxStore(2);
  s.add(1, 0, 50, at(0, 2), 1); // night, small
  s.add(2, 0, 9_500, at(0, 14), 1); // near threshold
  s.add(3, 0, 9_900, at(3, 3), 0); // night, near threshold
  s.add(0, 4, 19_000, at(3, 20), 0);
  s.add(4, 0, 100, at(4, 9), 2); // makes 0<->4 bidirectional
  s.add(6, 5, 1_000, at(5, 12), 0);
  s.add(5, 3, 990, at(5, 13), 0);
  const n = pop.length;
  const flows = aggregateFlows(s, n, START, 7);
  const graph = undirectedGraph(flows);
  const index = indexByAddress(s, n);
  const volume = new Float64Array(n);
  for (let i = 0; i < s.length; i++) {
    volume[s.from[i]] += s.amount[i];
    volume[s.to[i]] += s.amount[i];
  }
  return {
    store: s,
    index,
    flows,
    graph,
    pop,
    pagerank: pagerank(flows),
    kcore: coreNumbers(graph),
    volume,
    neighbourSums: neighbourSums(graph, volume),
    windowStart: START,
    windowDays: 7,
    scratch: makeScratch(16, 7, n),
  };
}

describe('computeFeatures', () => {
  const ctx = context();
  const row = new Float64Array(FEATURE_COUNT);

  it('derives counts, volumes and ratios from the ledger (hand-computed)', () => {
    computeFeatures(ctx, 0, row, true);
    const f = (name: string) => row[COL[name]];
    expect(f('degree_in')).toBe(4);
    expect(f('degree_out')).toBe(1);
    expect(f('unique_counterparties')).toBe(4);
    expect(f('bidirectional_counterparties')).toBe(1);
    expect(f('tx_in_count')).toBe(4);
    expect(f('tx_out_count')).toBe(1);
    expect(f('total_in_usd')).toBeCloseTo(19_550, 6);
    expect(f('total_out_usd')).toBe(19_000);
    expect(f('net_flow_usd')).toBeCloseTo(550, 6);
    expect(f('avg_tx_in_usd')).toBeCloseTo(19_550 / 4, 6);
    expect(f('max_tx_usd')).toBe(19_000);
    expect(f('activity_days')).toBe(3);
    expect(f('activity_span_days')).toBeCloseTo((at(4, 9) - at(0, 2)) / DAY_MS, 9);
    expect(f('night_transaction_ratio')).toBeCloseTo(2 / 5, 12);
    expect(f('small_transaction_ratio')).toBeCloseTo(1 / 5, 12);
    expect(f('near_threshold_count')).toBe(2);
    expect(f('structuring_score')).toBeCloseTo((2 / 5) * (2 / 4), 12);
    // reciprocity: min(19000, 100) both ways over half the volume
    expect(f('reciprocity_ratio')).toBeCloseTo((2 * 100) / 38_550, 12);
    // concentration over counterparty volumes 50, 9500, 9900, 19000 + 100
    const shares = [50, 9_500, 9_900, 19_100].map((v) => v / 38_550);
    expect(f('flow_concentration')).toBeCloseTo(
      shares.reduce((s, x) => s + x * x, 0),
      12,
    );
    expect(f('exchange_volume_ratio')).toBeCloseTo(9_900 / 38_550, 12);
    expect(f('pass_through_ratio')).toBeCloseTo(19_000 / 19_550, 12);
    // 5 transactions in 5 distinct hours: entropy log(5)/log(24)
    expect(f('hourly_entropy')).toBeCloseTo(Math.log(5) / Math.log(24), 12);
    expect(f('amount_p50_usd')).toBe(9_500);
    expect(f('max_txs_per_day')).toBe(2);
    expect(f('is_new_address')).toBe(0);
    expect(f('address_age_days')).toBe(407);
    expect(f('khop1_count')).toBe(4);
    // neighbours 1, 2, 3, 4 share no links among themselves; 3 also touches 5
    expect(f('clustering_coefficient')).toBe(0);
    expect(f('khop2_count')).toBe(5);
  });

  it('fills the non-core upstream columns from the same ledger (hand-computed)', () => {
    computeFeatures(ctx, 0, row, true);
    const f = (name: string) => row[COL[name]];
    // received 50, 9500, 9900, 100; sent 19000
    expect(f('median_tx_in_usd')).toBe((100 + 9_500) / 2);
    expect(f('median_tx_out_usd')).toBe(19_000);
    expect(f('min_tx_usd')).toBe(50);
    const amounts = [50, 9_500, 9_900, 19_000, 100];
    const mean = amounts.reduce((s, x) => s + x, 0) / 5;
    expect(f('amount_variance')).toBeCloseTo(amounts.reduce((s, x) => s + (x - mean) ** 2, 0) / 4, 6);
    // assets in: 1, 1, 0, 2; out: 0
    expect(f('unique_assets_in')).toBe(3);
    expect(f('unique_assets_out')).toBe(1);
    // counterparty USD: 4 -> 19100 (both ways), 3 -> 9900, 2 -> 9500, 1 -> 50
    expect(f('counterparty_concentration')).toBeCloseTo(19_100 / 38_550, 12);
    expect(f('concentration_ratio')).toBeCloseTo((19_100 + 9_900 + 9_500) / 38_550, 12);
    expect(f('unique_senders_count')).toBe(4);
    expect(f('unique_recipients_count')).toBe(1);
    // five transactions in five distinct hours: the earliest hour (02) is the peak
    expect(f('peak_hour')).toBe(2);
    // the 19000 USD transfer at 20h carries the most USD
    expect(f('peak_activity_hour')).toBe(20);
    expect(f('first_activity_timestamp')).toBe(START - 400 * DAY_MS);
    expect(f('last_activity_timestamp')).toBe(at(4, 9));
  });

  it('flags new addresses and mixer exposure, and leaves undefined statistics NaN', () => {
    computeFeatures(ctx, 5, row, true);
    const f = (name: string) => row[COL[name]];
    expect(f('is_new_address')).toBe(1);
    expect(f('mixer_volume_usd')).toBe(1_000);
    expect(f('mean_hold_hours')).toBeCloseTo(1, 9);
    computeFeatures(ctx, 1, row, true);
    expect(f('in_amount_p50_usd')).toBeNaN();
    expect(f('tx_interval_mean_hours')).toBeNaN();
    expect(f('avg_tx_in_usd')).toBe(0);
  });
});
