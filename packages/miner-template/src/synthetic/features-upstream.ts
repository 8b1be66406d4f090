/**
 * The upstream table's non-core columns (docs/data-contracts.md) for one simulated address, from the same
 * transactions as the core ones: amount moments, daily-volume spread, peaks, asset mix, k-hop
 * estimates, the "advanced flow" and anomaly scores, the behaviour flags and the bookkeeping
 * columns. Runs after computeFeatures has filled the core and internal columns and left the
 * address's timestamps and amounts sorted in scratch. Statistics that do not exist (moments of
 * one transaction, intervals of fewer than three) are NaN, as upstream leaves them.
 */

import type { FeatureContext } from './features.js';
import type { UndirectedGraph } from './flows.js';
import { KIND } from './population.js';
import { COL as COLUMN_INDEX, OUTPUT_COLUMNS } from './row-layout.js';
import { DAY_MS, HOUR_MS } from './world.js';

const COL: Record<string, number> = { ...COLUMN_INDEX };
const LOG7 = Math.log(7);
const COMPLETENESS_INPUTS = Int32Array.from(
  OUTPUT_COLUMNS.filter((name) => name !== 'completeness_score'),
  (name) => COL[name],
);

export interface NeighbourSums {
  /** Σ over a's neighbours of their degree. */
  degree: Float64Array;
  /** Σ over a's neighbours of their total USD volume. */
  volume: Float64Array;
}

/** One pass over the undirected graph: O(edges). */
export function neighbourSums(graph: UndirectedGraph, volume: Float64Array): NeighbourSums {
  const n = graph.offsets.length - 1;
  const degree = new Float64Array(n);
  const vol = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    for (let k = graph.offsets[a]; k < graph.offsets[a + 1]; k++) {
      const u = graph.neighbors[k];
      degree[a] += graph.offsets[u + 1] - graph.offsets[u];
      vol[a] += volume[u];
    }
  }
  return { degree, volume: vol };
}

function entropy(counts: ArrayLike<number>, total: number): number {
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    const p = total > 0 ? counts[i] / total : 0;
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Amount moments: variance (n − 1), skewness and excess kurtosis (population moments). */
function moments(amounts: Float64Array, n: number): [number, number, number] {
  if (n < 2) return [Number.NaN, Number.NaN, Number.NaN];
  let mean = 0;
  for (let i = 0; i < n; i++) mean += amounts[i];
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = amounts[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  const variance = m2 / (n - 1);
  const pop = m2 / n;
  if (!(pop > 0)) return [variance, Number.NaN, Number.NaN];
  return [variance, m3 / n / pop ** 1.5, m4 / n / (pop * pop) - 3];
}

/** Fills the non-core upstream columns of `row` (see the module comment). */
export function writeUpstreamExtras(
  ctx: FeatureContext,
  a: number,
  row: Float64Array,
  tsSorted: Float64Array,
  amounts: Float64Array,
): void {
  const { flows, pop, graph, scratch: s, windowDays } = ctx;
  const n = row[COL.tx_total_count];
  const total = row[COL.total_volume_usd];
  row[COL.median_tx_in_usd] = row[COL.in_amount_p50_usd];
  row[COL.median_tx_out_usd] = row[COL.out_amount_p50_usd];
  row[COL.min_tx_usd] = row[COL.amount_min_usd];
  const [variance, skewness, kurtosis] = moments(amounts, n);
  row[COL.amount_variance] = variance;
  row[COL.amount_skewness] = skewness;
  row[COL.amount_kurtosis] = kurtosis;
  // daily volume spread over the window's days (a quiet day counts as 0 USD)
  const dailyMean = total / windowDays;
  let ssDaily = 0;
  let dayCountMean = 0;
  for (let d = 0; d < windowDays; d++) dayCountMean += s.days[d];
  dayCountMean /= windowDays;
  let ssCount = 0;
  for (let d = 0; d < windowDays; d++) ssCount += (s.days[d] - dayCountMean) ** 2;
  // per-day USD is not kept in scratch; spread it by the day's transaction share
  for (let d = 0; d < windowDays; d++) ssDaily += ((n > 0 ? (s.days[d] / n) * total : 0) - dailyMean) ** 2;
  const volumeStd = n >= 2 ? Math.sqrt(ssDaily / windowDays) : Number.NaN;
  row[COL.volume_std] = volumeStd;
  row[COL.volume_cv] = n >= 2 && dailyMean > 0 ? volumeStd / dailyMean : Number.NaN;
  const hourCounts = new Float64Array(24);
  for (let h = 0; h < 24; h++) hourCounts[h] = row[COL.hour_share_00 + h] * n;
  const weekdayCounts = new Float64Array(7);
  for (let d = 0; d < 7; d++) weekdayCounts[d] = row[COL.weekday_share_0 + d] * n;
  row[COL.peak_hour] = n > 0 ? argmax(hourCounts) : Number.NaN;
  row[COL.peak_day] = n > 0 ? argmax(weekdayCounts) : Number.NaN;
  row[COL.peak_activity_hour] = n > 0 ? argmax(s.hourUsd) : Number.NaN;
  row[COL.peak_activity_day] = n > 0 ? argmax(s.days.subarray(0, windowDays)) : Number.NaN;
  row[COL.daily_entropy] = n >= 2 ? entropy(weekdayCounts, n) / LOG7 : Number.NaN;
  row[COL.weekend_transaction_ratio] = row[COL.weekend_ratio];
  row[COL.consistency_score] =
    n >= 3 && dayCountMean > 0
      ? Math.max(0, 1 - Math.sqrt(ssCount / windowDays) / dayCountMean / 2)
      : Number.NaN;

  // counterparty mix: USD per counterparty (both directions summed)
  let top1 = 0;
  let top2 = 0;
  let top3 = 0;
  let stable = 0;
  const share = (v: number) => {
    if (v > top1) [top1, top2, top3] = [v, top1, top2];
    else if (v > top2) [top2, top3] = [v, top2];
    else if (v > top3) top3 = v;
  };
  for (let k = flows.outOffsets[a]; k < flows.outOffsets[a + 1]; k++) {
    const f = flows.outFlows[k];
    const r = flows.reverse[f];
    share(flows.amount[f] + (r >= 0 ? flows.amount[r] : 0));
    if (flows.activeDays[f] >= 2 || (r >= 0 && flows.activeDays[r] >= 2)) stable++;
  }
  for (let k = flows.inOffsets[a]; k < flows.inOffsets[a + 1]; k++) {
    const f = flows.inFlows[k];
    if (flows.reverse[f] >= 0) continue;
    share(flows.amount[f]);
    if (flows.activeDays[f] >= 2) stable++;
  }
  const unique = row[COL.unique_counterparties];
  row[COL.flow_diversity] = 1 - row[COL.flow_concentration];
  row[COL.counterparty_concentration] = total > 0 ? top1 / total : 0;
  row[COL.concentration_ratio] = total > 0 ? (top1 + top2 + top3) / total : 0;
  row[COL.counterparty_stability] = unique > 0 ? stable / unique : Number.NaN;
  const recip = row[COL.reciprocity_ratio];
  row[COL.flow_reciprocity_entropy] =
    recip > 0 && recip < 1 ? -(recip * Math.log2(recip) + (1 - recip) * Math.log2(1 - recip)) : 0;

  // assets
  let assetsIn = 0;
  let assetsOut = 0;
  const assetAll = new Float64Array(s.assetIn.length);
  for (let k = 0; k < s.assetIn.length; k++) {
    if (s.assetIn[k] > 0) assetsIn++;
    if (s.assetOut[k] > 0) assetsOut++;
    assetAll[k] = s.assetIn[k] + s.assetOut[k];
  }
  row[COL.unique_assets_in] = assetsIn;
  row[COL.unique_assets_out] = assetsOut;
  row[COL.asset_diversity_score] = n > 0 ? entropy(assetAll, n) / Math.log(assetAll.length) : 0;

  // timing regularity from the inter-transaction gaps
  if (n >= 3) {
    const gapMean = (tsSorted[n - 1] - tsSorted[0]) / (n - 1);
    const gapSd = row[COL.tx_interval_std_hours] * HOUR_MS;
    row[COL.flow_burstiness] = gapSd + gapMean > 0 ? (gapSd - gapMean) / (gapSd + gapMean) : 0;
    row[COL.transaction_regularity] = gapMean > 0 ? 1 / (1 + gapSd / gapMean) : 1;
    const mean = total / n;
    row[COL.amount_predictability] = mean > 0 ? 1 / (1 + Math.sqrt(variance) / mean) : Number.NaN;
  } else {
    row[COL.flow_burstiness] = Number.NaN;
    row[COL.transaction_regularity] = Number.NaN;
    row[COL.amount_predictability] = Number.NaN;
  }

  // graph: k-hop estimates from neighbour sums (upper bounds, like khop2_count)
  const N = flows.addressCount;
  const sums = ctx.neighbourSums;
  let khop2Volume = 0;
  let khop3 = 0;
  for (let k = graph.offsets[a]; k < graph.offsets[a + 1]; k++) {
    const u = graph.neighbors[k];
    khop2Volume += sums.volume[u];
    khop3 += sums.degree[u];
  }
  row[COL.khop3_count] = Math.min(N - 1, Math.max(row[COL.khop2_count], khop3));
  row[COL.khop2_volume_usd] = khop2Volume;
  row[COL.khop3_volume_usd] =
    row[COL.khop2_count] > 0 ? khop2Volume * (row[COL.khop3_count] / row[COL.khop2_count]) : khop2Volume;
  row[COL.centrality_score] = (row[COL.closeness] + Math.min(1, (ctx.pagerank[a] * N) / 10)) / 2;
  // a stable id for the address's neighbourhood: the lowest id among it and its neighbours
  let community = a;
  for (let k = graph.offsets[a]; k < graph.offsets[a + 1]; k++)
    community = Math.min(community, graph.neighbors[k]);
  row[COL.community_id] = community;

  // anomaly
  let outliers = 0;
  if (n >= 3) {
    const mean = total / n;
    const sd = Math.sqrt(variance);
    for (let i = 0; i < n; i++) if (amounts[i] > mean + 3 * sd) outliers++;
  }
  row[COL.outlier_transactions] = outliers;
  const newShare = row[COL.new_counterparty_ratio];
  row[COL.neighborhood_anomaly_score] = logistic(
    -2.2 + 2.5 * newShare + (row[COL.mixer_volume_usd] > 0 ? 1.5 : 0) + 1.2 * row[COL.graph_anomaly_score],
  );
  row[COL.global_anomaly_score] = (row[COL.behavioral_anomaly_score] + row[COL.graph_anomaly_score]) / 2;
  row[COL.suspicious_pattern_score] = Math.max(
    row[COL.structuring_score],
    row[COL.velocity_score],
    total > 0 ? Math.min(1, row[COL.mixer_volume_usd] / total) : 0,
  );
  row[COL.outlier_score] = n > 0 ? outliers / n : 0;

  // flags (thresholds in USD over the window)
  const activeDays = row[COL.activity_days];
  const kind = pop.kind[a];
  row[COL.is_whale] = total >= 1_000_000 || kind === KIND.whale ? 1 : 0;
  row[COL.is_high_volume_trader] = n >= 100 && total >= 100_000 ? 1 : 0;
  row[COL.is_hub_address] = unique >= 50 ? 1 : 0;
  row[COL.is_retail_active] = total < 10_000 && activeDays >= 3 ? 1 : 0;
  row[COL.is_whale_inactive] = kind === KIND.whale && n < 3 ? 1 : 0;
  row[COL.is_retail_inactive] = total < 10_000 && n <= 2 ? 1 : 0;
  row[COL.is_regular_user] =
    row[COL.regularity_score] >= 0.5 && activeDays >= Math.ceil(windowDays / 2) ? 1 : 0;

  // bookkeeping
  row[COL.unique_recipients_count] = row[COL.degree_out];
  row[COL.unique_senders_count] = row[COL.degree_in];
  row[COL.quality_score] = Math.min(1, n / 10);
  row[COL.confidence_score] = Math.min(1, Math.log1p(n) / Math.log(50));
  const born = ctx.windowStart + pop.bornDay[a] * DAY_MS;
  row[COL.first_activity_timestamp] = n > 0 ? Math.round(Math.min(tsSorted[0], born)) : Math.round(born);
  row[COL.last_activity_timestamp] = n > 0 ? Math.round(tsSorted[n - 1]) : Number.NaN;
  let present = 0;
  for (let k = 0; k < COMPLETENESS_INPUTS.length; k++)
    if (!Number.isNaN(row[COMPLETENESS_INPUTS[k]])) present++;
  row[COL.completeness_score] = present / COMPLETENESS_INPUTS.length;
}
