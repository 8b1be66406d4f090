/**
 * Per-address features computed from the simulated transactions and flows, so every column agrees
 * with the ledger (degree_in is exactly the number of flows into the address, totals are exact
 * sums, ...). One scratch row per call, no per-address objects. Conventions: averages over no
 * transactions are 0 (as upstream), statistics that do not exist (a median of nothing, intervals
 * of a single transaction) are NaN. Graph measures that are costly (clustering) are only filled
 * when `withGraph` is set; pagerank, k-core and betweenness come precomputed.
 */

import { type NeighbourSums, writeUpstreamExtras } from './features-upstream.js';
import type { FlowTable, UndirectedGraph } from './flows.js';
import { clusteringCoefficient, khop2Estimate } from './graph.js';
import { KIND, type Population } from './population.js';
import { COL as COLUMN_INDEX, FEATURE_COLUMNS } from './row-layout.js';
import { type AddressIndex, ASSETS, type TxStore } from './tx-store.js';
import { STRUCTURING_THRESHOLD_USD } from './typologies.js';
import { DAY_MS as DAY, HOUR_MS as HOUR } from './world.js';

export interface FeatureContext {
  store: TxStore;
  index: AddressIndex;
  flows: FlowTable;
  graph: UndirectedGraph;
  pop: Population;
  pagerank: Float64Array;
  kcore: Int32Array;
  /** Total USD volume touching each address (for khop1_volume_usd). */
  volume: Float64Array;
  /** Per address: Σ neighbour degree and Σ neighbour volume (for the k-hop estimates). */
  neighbourSums: NeighbourSums;
  windowStart: number;
  windowDays: number;
  scratch: FeatureScratch;
}

export interface FeatureScratch {
  ts: Float64Array;
  amount: Float64Array;
  inAmount: Float64Array;
  outAmount: Float64Array;
  days: Int32Array;
  mark: Int32Array;
  stamp: number;
  /** Transactions per asset, received and sent. */
  assetIn: Int32Array;
  assetOut: Int32Array;
  /** USD per UTC hour of day. */
  hourUsd: Float64Array;
}

export function makeScratch(
  maxTxPerAddress: number,
  windowDays: number,
  addressCount: number,
): FeatureScratch {
  return {
    ts: new Float64Array(maxTxPerAddress),
    amount: new Float64Array(maxTxPerAddress),
    inAmount: new Float64Array(maxTxPerAddress),
    outAmount: new Float64Array(maxTxPerAddress),
    days: new Int32Array(windowDays),
    mark: new Int32Array(addressCount),
    stamp: 0,
    assetIn: new Int32Array(ASSETS.length),
    assetOut: new Int32Array(ASSETS.length),
    hourUsd: new Float64Array(24),
  };
}

export const FEATURE_COUNT = FEATURE_COLUMNS.length;
// module-local copies: imported bindings are read through accessors on every use in hot loops
const COL: Record<string, number> = { ...COLUMN_INDEX };
const DAY_MS = DAY;
const HOUR_MS = HOUR;
const KIND_EXCHANGE = KIND.exchange;
const KIND_MIXER = KIND.mixer;
const KIND_BRIDGE = KIND.bridge;
const KIND_CONTRACT = KIND.contract;
const DENOMINATIONS = [100, 1_000, 10_000, 100_000];
const LOG24 = Math.log(24);

function quantile(sorted: Float64Array, n: number, q: number): number {
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Fills `row` (length FEATURE_COUNT) with address a's features. */
export function computeFeatures(ctx: FeatureContext, a: number, row: Float64Array, withGraph: boolean): void {
  const { store, index, flows, pop, scratch: s } = ctx;
  row.fill(0);
  const lo = index.offsets[a];
  const hi = index.offsets[a + 1];
  let n = 0;
  let nIn = 0;
  let nOut = 0;
  let inSum = 0;
  let outSum = 0;
  let maxIn = 0;
  let maxOut = 0;
  let inTs = 0;
  let outTs = 0;
  let night = 0;
  let small = 0;
  let near = 0;
  let round = 0;
  let weekend = 0;
  let denominated = 0;
  let stable = 0;
  const assetCounts = [0, 0, 0, 0, 0];
  s.days.fill(0);
  s.assetIn.fill(0);
  s.assetOut.fill(0);
  s.hourUsd.fill(0);
  for (let k = lo; k < hi; k++) {
    const i = index.txs[k];
    const amt = store.amount[i];
    const ts = store.ts[i];
    s.ts[n] = ts;
    s.amount[n] = amt;
    n++;
    if (store.to[i] === a) {
      s.inAmount[nIn++] = amt;
      inSum += amt;
      inTs += ts;
      if (amt > maxIn) maxIn = amt;
      s.assetIn[store.asset[i]]++;
    } else {
      s.outAmount[nOut++] = amt;
      outSum += amt;
      outTs += ts;
      if (amt > maxOut) maxOut = amt;
      s.assetOut[store.asset[i]]++;
    }
    const hour = Math.floor(ts / HOUR_MS) % 24;
    row[COL.hour_share_00 + hour]++;
    s.hourUsd[hour] += amt;
    const weekday = (Math.floor(ts / DAY_MS) + 4) % 7; // 1970-01-01 was a Thursday
    row[COL.weekday_share_0 + weekday]++;
    if (weekday === 0 || weekday === 6) weekend++;
    if (hour < 6) night++;
    if (amt < 100) small++;
    if (amt >= 0.8 * STRUCTURING_THRESHOLD_USD && amt < STRUCTURING_THRESHOLD_USD) near++;
    if (amt >= 100 && Math.abs(amt / 100 - Math.round(amt / 100)) < 1e-6) round++;
    for (const d of DENOMINATIONS) if (amt <= d && amt >= 0.99 * d) denominated++;
    if (store.asset[i] === 1 || store.asset[i] === 2) stable++;
    assetCounts[store.asset[i]]++;
    const day = Math.min(ctx.windowDays - 1, Math.max(0, Math.floor((ts - ctx.windowStart) / DAY_MS)));
    s.days[day]++;
  }
  const total = inSum + outSum;
  // counts and volumes
  const dIn = flows.inOffsets[a + 1] - flows.inOffsets[a];
  const dOut = flows.outOffsets[a + 1] - flows.outOffsets[a];
  let bidi = 0;
  let recip = 0;
  let hhi = 0;
  let hhiIn = 0;
  let hhiOut = 0;
  let exVol = 0;
  let mixVol = 0;
  let bridgeVol = 0;
  let contractVol = 0;
  let newCp = 0;
  let khop1Volume = 0;
  const byKind = (cp: number, v: number) => {
    const kind = pop.kind[cp];
    if (kind === KIND_EXCHANGE) exVol += v;
    else if (kind === KIND_MIXER) mixVol += v;
    else if (kind === KIND_BRIDGE) bridgeVol += v;
    else if (kind === KIND_CONTRACT) contractVol += v;
  };
  for (let k = flows.outOffsets[a]; k < flows.outOffsets[a + 1]; k++) {
    const f = flows.outFlows[k];
    const cp = flows.to[f];
    const r = flows.reverse[f];
    let v = flows.amount[f];
    if (outSum > 0) hhiOut += (v / outSum) ** 2;
    if (r >= 0) {
      bidi++;
      recip += Math.min(flows.amount[f], flows.amount[r]);
      v += flows.amount[r];
    }
    if (total > 0) hhi += (v / total) ** 2;
    byKind(cp, v);
    if (pop.bornDay[cp] >= 0) newCp++;
    khop1Volume += ctx.volume[cp];
  }
  for (let k = flows.inOffsets[a]; k < flows.inOffsets[a + 1]; k++) {
    const f = flows.inFlows[k];
    const v = flows.amount[f];
    if (inSum > 0) hhiIn += (v / inSum) ** 2;
    if (flows.reverse[f] >= 0) continue; // counted with its out-flow above
    const cp = flows.from[f];
    if (total > 0) hhi += (v / total) ** 2;
    byKind(cp, v);
    if (pop.bornDay[cp] >= 0) newCp++;
    khop1Volume += ctx.volume[cp];
  }
  const unique = dIn + dOut - bidi;
  row[COL.degree_in] = dIn;
  row[COL.degree_out] = dOut;
  row[COL.degree_total] = dIn + dOut;
  row[COL.unique_counterparties] = unique;
  row[COL.total_in_usd] = inSum;
  row[COL.total_out_usd] = outSum;
  row[COL.net_flow_usd] = inSum - outSum;
  row[COL.total_volume_usd] = total;
  row[COL.avg_tx_in_usd] = nIn > 0 ? inSum / nIn : 0;
  row[COL.avg_tx_out_usd] = nOut > 0 ? outSum / nOut : 0;
  row[COL.max_tx_usd] = Math.max(maxIn, maxOut);
  row[COL.tx_in_count] = nIn;
  row[COL.tx_out_count] = nOut;
  row[COL.tx_total_count] = n;
  // time structure
  const tsSorted = s.ts.subarray(0, n).sort();
  let activeDays = 0;
  let maxPerDay = 0;
  for (let d = 0; d < ctx.windowDays; d++) {
    if (s.days[d] > 0) activeDays++;
    if (s.days[d] > maxPerDay) maxPerDay = s.days[d];
  }
  let maxPerHour = 0;
  for (let i = 0, j = 0; i < n; i++) {
    while (tsSorted[i] - tsSorted[j] >= HOUR_MS) j++;
    if (i - j + 1 > maxPerHour) maxPerHour = i - j + 1;
  }
  const span = n > 0 ? (tsSorted[n - 1] - tsSorted[0]) / DAY_MS : 0;
  row[COL.activity_days] = activeDays;
  row[COL.activity_span_days] = span;
  row[COL.avg_daily_volume_usd] = activeDays > 0 ? total / activeDays : 0;
  let gapMean = Number.NaN;
  let gapSd = Number.NaN;
  if (n >= 2) {
    gapMean = (tsSorted[n - 1] - tsSorted[0]) / (n - 1);
    let ss = 0;
    for (let i = 1; i < n; i++) ss += (tsSorted[i] - tsSorted[i - 1] - gapMean) ** 2;
    gapSd = Math.sqrt(ss / (n - 1));
  }
  row[COL.regularity_score] = n >= 3 && gapMean > 0 ? 1 / (1 + gapSd / gapMean) : 0;
  row[COL.burst_factor] = n > 0 ? (maxPerDay * ctx.windowDays) / n : 0;
  row[COL.reciprocity_ratio] = total > 0 ? Math.min(1, (2 * recip) / total) : 0;
  row[COL.flow_concentration] = hhi;
  const passThrough = inSum > 0 && outSum > 0 ? Math.min(inSum, outSum) / Math.max(inSum, outSum) : 0;
  const holdHours = nIn > 0 && nOut > 0 ? (outTs / nOut - inTs / nIn) / HOUR_MS : Number.NaN;
  row[COL.velocity_score] = Number.isNaN(holdHours) ? 0 : passThrough / (1 + Math.max(0, holdHours) / 24);
  row[COL.structuring_score] = n > 0 ? (near / n) * Math.min(1, near / 4) : 0;
  let entropy = 0;
  for (let h = 0; h < 24; h++) {
    const p = n > 0 ? row[COL.hour_share_00 + h] / n : 0;
    if (p > 0) entropy -= p * Math.log(p);
  }
  row[COL.hourly_entropy] = entropy / LOG24;
  row[COL.night_transaction_ratio] = n > 0 ? night / n : 0;
  row[COL.small_transaction_ratio] = n > 0 ? small / n : 0;
  // graph measures
  const N = flows.addressCount;
  row[COL.pagerank] = ctx.pagerank[a];
  row[COL.betweenness] = N > 2 ? (dIn * dOut) / ((N - 1) * (N - 2)) : 0;
  const k1 = ctx.graph.offsets[a + 1] - ctx.graph.offsets[a];
  const k2 = khop2Estimate(ctx.graph, a);
  row[COL.closeness] = N > 1 ? (k1 + 0.5 * (k2 - k1)) / (N - 1) : 0;
  row[COL.clustering_coefficient] = withGraph
    ? clusteringCoefficient(ctx.graph, flows, a, s.mark, ++s.stamp)
    : Number.NaN;
  row[COL.kcore] = ctx.kcore[a];
  row[COL.khop1_count] = k1;
  row[COL.khop2_count] = k2;
  row[COL.khop1_volume_usd] = khop1Volume;
  // flags
  const denomRatio = n > 0 ? denominated / n : 0;
  const kind = pop.kind[a];
  const born = pop.bornDay[a];
  const firstOffset = n > 0 ? (tsSorted[0] - ctx.windowStart) / DAY_MS : Number.NaN;
  row[COL.is_exchange_like] = unique >= 100 && nIn >= 50 && nOut >= 50 ? 1 : 0;
  row[COL.is_mixer_like] = n >= 20 && denomRatio >= 0.6 ? 1 : 0;
  row[COL.is_contract_like] = kind === KIND_CONTRACT || kind === KIND_BRIDGE || kind === KIND_MIXER ? 1 : 0;
  row[COL.is_new_address] = born >= 0 ? 1 : 0;
  row[COL.is_dormant_reactivated] = born < -180 && firstOffset > ctx.windowDays * 0.5 && n >= 2 ? 1 : 0;
  // extras
  for (let h = 0; h < 24; h++) row[COL.hour_share_00 + h] = n > 0 ? row[COL.hour_share_00 + h] / n : 0;
  for (let d = 0; d < 7; d++) row[COL.weekday_share_0 + d] = n > 0 ? row[COL.weekday_share_0 + d] / n : 0;
  const amounts = s.amount.subarray(0, n).sort();
  const mean = n > 0 ? total / n : Number.NaN;
  let ssAmt = 0;
  for (let i = 0; i < n; i++) ssAmt += (amounts[i] - mean) ** 2;
  const sdAmt = n >= 2 ? Math.sqrt(ssAmt / (n - 1)) : Number.NaN;
  row[COL.amount_min_usd] = n > 0 ? amounts[0] : Number.NaN;
  row[COL.amount_p10_usd] = quantile(amounts, n, 0.1);
  row[COL.amount_p25_usd] = quantile(amounts, n, 0.25);
  row[COL.amount_p50_usd] = quantile(amounts, n, 0.5);
  row[COL.amount_p75_usd] = quantile(amounts, n, 0.75);
  row[COL.amount_p90_usd] = quantile(amounts, n, 0.9);
  row[COL.amount_std_usd] = sdAmt;
  row[COL.amount_cv] = sdAmt / mean;
  row[COL.in_amount_p50_usd] = quantile(s.inAmount.subarray(0, nIn).sort(), nIn, 0.5);
  row[COL.out_amount_p50_usd] = quantile(s.outAmount.subarray(0, nOut).sort(), nOut, 0.5);
  row[COL.max_in_tx_usd] = maxIn;
  row[COL.max_out_tx_usd] = maxOut;
  row[COL.round_amount_ratio] = n > 0 ? round / n : 0;
  row[COL.near_threshold_count] = near;
  row[COL.weekend_ratio] = n > 0 ? weekend / n : 0;
  row[COL.denominated_amount_ratio] = denomRatio;
  row[COL.first_seen_offset_days] = firstOffset;
  row[COL.last_seen_offset_days] = n > 0 ? (tsSorted[n - 1] - ctx.windowStart) / DAY_MS : Number.NaN;
  row[COL.address_age_days] = ctx.windowDays - born;
  row[COL.in_out_ratio] = outSum > 0 ? inSum / outSum : Number.NaN;
  row[COL.pass_through_ratio] = passThrough;
  row[COL.mean_hold_hours] = holdHours;
  row[COL.max_txs_per_hour] = maxPerHour;
  row[COL.max_txs_per_day] = maxPerDay;
  let dominant = 0;
  let uniqueAssets = 0;
  for (let k = 0; k < assetCounts.length; k++) {
    if (assetCounts[k] > 0) uniqueAssets++;
    if (assetCounts[k] > dominant) dominant = assetCounts[k];
  }
  row[COL.unique_assets] = uniqueAssets;
  row[COL.dominant_asset_share] = n > 0 ? dominant / n : 0;
  row[COL.stablecoin_ratio] = n > 0 ? stable / n : 0;
  row[COL.in_counterparty_concentration] = hhiIn;
  row[COL.out_counterparty_concentration] = hhiOut;
  row[COL.exchange_volume_ratio] = total > 0 ? exVol / total : 0;
  row[COL.mixer_volume_usd] = mixVol;
  row[COL.bridge_volume_ratio] = total > 0 ? bridgeVol / total : 0;
  row[COL.contract_volume_ratio] = total > 0 ? contractVol / total : 0;
  row[COL.bidirectional_counterparties] = bidi;
  row[COL.new_counterparty_ratio] = unique > 0 ? newCp / unique : 0;
  row[COL.tx_interval_mean_hours] = gapMean / HOUR_MS;
  row[COL.tx_interval_std_hours] = gapSd / HOUR_MS;
  row[COL.log_total_volume_usd] = Math.log1p(total);
  row[COL.degree_ratio] = (dIn + 1) / (dOut + 1);
  // anomaly scores: fixed logistic blends of the signals above (an unsupervised detector's view)
  row[COL.behavioral_anomaly_score] = logistic(
    -3.2 +
      0.25 * Math.min(8, row[COL.burst_factor]) +
      3 * row[COL.structuring_score] +
      1.5 * row[COL.night_transaction_ratio] +
      1.5 * row[COL.velocity_score] +
      0.6 * row[COL.is_new_address] +
      (mixVol > 0 ? 1.2 : 0),
  );
  const imbalance = dIn + dOut > 0 ? Math.abs(dIn - dOut) / (dIn + dOut) : 0;
  row[COL.graph_anomaly_score] = logistic(
    -2.5 +
      1.5 * passThrough * (unique <= 4 ? 1 : 0.3) +
      1.2 * imbalance * Math.min(1, unique / 10) +
      1.5 * hhi,
  );
  writeUpstreamExtras(ctx, a, row, tsSorted, amounts);
}
