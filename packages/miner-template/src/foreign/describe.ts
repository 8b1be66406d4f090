/**
 * One wallet's feature values, read off its own transactions and the network metrics with the
 * foreign producer's definitions (UTC clock, Goh-Barabasi burstiness, entropies in bits, HHI
 * concentration). Columns that need population statistics (anomaly scores, completeness) are
 * filled later by features.ts; this module is per-row and pure.
 */
import { UPSTREAM_COLUMNS } from './columns.js';
import { roundSignificant, roundTo, roundUsd } from './formats.js';
import { clusteringCoefficient, type GraphMetrics, reach } from './graph.js';
import { degreeOf, type Ledger } from './ledger.js';
import { DAY_MS, HOUR_MS, type World } from './world.js';

export const COLUMN_INDEX = new Map(UPSTREAM_COLUMNS.map((col, i) => [col.name, i]));
const NEAR = [3_000, 5_000, 10_000, 15_000];
const SMALL_USD = 250;

export interface DescribeContext {
  world: World;
  ledger: Ledger;
  metrics: GraphMetrics;
  /** Total volume per actor, for k-hop volumes. */
  volume: Float64Array;
  stamp: Int32Array;
}

function entropyBits(counts: ArrayLike<number>, total: number): number {
  if (total <= 0) return 0;
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0) {
      const p = counts[i] / total;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function meanStd(values: ArrayLike<number>): [number, number] {
  const n = values.length;
  if (n === 0) return [Number.NaN, Number.NaN];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i] - mean) ** 2;
  return [mean, Math.sqrt(sq / n)];
}

function median(sorted: number[]): number {
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Fills `out` (indexed like UPSTREAM_COLUMNS) for actor `a`; NaN where a value does not exist. */
export function describeActor(ctx: DescribeContext, a: number, mark: number, out: Float64Array): void {
  const { world, ledger, metrics } = ctx;
  const d = world.decimals;
  const set = (name: string, value: number) => {
    out[COLUMN_INDEX.get(name)!] = value;
  };
  out.fill(Number.NaN);
  const hours = new Float64Array(24);
  const hourUsd = new Float64Array(24);
  const weekdays = new Float64Array(7);
  const weekdayUsd = new Float64Array(7);
  const daily = new Float64Array(world.days);
  const dailyCount = new Float64Array(world.days);
  const hourBuckets = new Map<number, number>();
  const inAmounts: number[] = [];
  const outAmounts: number[] = [];
  const amounts: number[] = [];
  const gaps: number[] = [];
  const lags: number[] = [];
  const partyIn = new Map<number, number>();
  const partyOut = new Map<number, number>();
  // Per counterparty: the first day seen, or -1 once seen on a second day.
  const partyDays = new Map<number, number>();
  const assetsIn = new Set<number>();
  const assetsOut = new Set<number>();
  const assetUsd = new Float64Array(world.assets.length);
  let small = 0;
  let night = 0;
  let weekend = 0;
  let near = 0;
  let previous = Number.NaN;
  let lastIn = Number.NaN;
  for (let k = ledger.txOffsets[a]; k < ledger.txOffsets[a + 1]; k++) {
    const t = ledger.txItems[k];
    const usd = ledger.usd[t];
    const at = ledger.at[t];
    const outgoing = ledger.from[t] === a;
    const other = outgoing ? ledger.to[t] : ledger.from[t];
    const hour = Math.floor((at % DAY_MS) / HOUR_MS);
    // 1970-01-01 was a Thursday (getUTCDay() === 4).
    const weekday = (Math.floor(at / DAY_MS) + 4) % 7;
    const day = Math.min(world.days - 1, Math.floor((at - world.start) / DAY_MS));
    amounts.push(usd);
    hours[hour]++;
    hourUsd[hour] += usd;
    weekdays[weekday]++;
    weekdayUsd[weekday] += usd;
    daily[day] += usd;
    dailyCount[day]++;
    const bucket = Math.floor(at / HOUR_MS);
    hourBuckets.set(bucket, (hourBuckets.get(bucket) ?? 0) + 1);
    assetUsd[ledger.asset[t]] += usd;
    if (usd < SMALL_USD) small++;
    if (hour < 6) night++;
    if (weekday === 0 || weekday === 6) weekend++;
    if (NEAR.some((x) => usd >= 0.85 * x && usd < x)) near++;
    if (!Number.isNaN(previous)) gaps.push(at - previous);
    previous = at;
    const seenDay = partyDays.get(other);
    if (seenDay === undefined) partyDays.set(other, day);
    else if (seenDay !== day) partyDays.set(other, -1);
    if (outgoing) {
      outAmounts.push(usd);
      partyOut.set(other, (partyOut.get(other) ?? 0) + usd);
      assetsOut.add(ledger.asset[t]);
      if (!Number.isNaN(lastIn)) lags.push(at - lastIn);
    } else {
      inAmounts.push(usd);
      partyIn.set(other, (partyIn.get(other) ?? 0) + usd);
      assetsIn.add(ledger.asset[t]);
      lastIn = at;
    }
  }
  const n = amounts.length;
  const inUsd = roundUsd(
    inAmounts.reduce((s, x) => s + x, 0),
    d,
  );
  const outUsd = roundUsd(
    outAmounts.reduce((s, x) => s + x, 0),
    d,
  );
  const volume = roundUsd(inUsd + outUsd, d);
  const senders = degreeOf(ledger.inOffsets, a);
  const recipients = degreeOf(ledger.outOffsets, a);
  const counterparties = degreeOf(ledger.nbOffsets, a);

  set('degree_in', senders);
  set('degree_out', recipients);
  set('degree_total', senders + recipients);
  set('unique_counterparties', counterparties);
  set('total_in_usd', inUsd);
  set('total_out_usd', outUsd);
  set('net_flow_usd', roundUsd(inUsd - outUsd, d));
  set('total_volume_usd', volume);
  inAmounts.sort((x, y) => x - y);
  outAmounts.sort((x, y) => x - y);
  if (inAmounts.length > 0) set('avg_tx_in_usd', roundUsd(inUsd / inAmounts.length, d));
  if (outAmounts.length > 0) set('avg_tx_out_usd', roundUsd(outUsd / outAmounts.length, d));
  set('median_tx_in_usd', roundUsd(median(inAmounts), d));
  set('median_tx_out_usd', roundUsd(median(outAmounts), d));
  // Loops, not Math.max(...amounts): an exchange has more transactions than the argument limit.
  let maxTx = Number.NaN;
  let minTx = Number.NaN;
  for (const x of amounts) {
    if (!(x <= maxTx)) maxTx = x;
    if (!(x >= minTx)) minTx = x;
  }
  set('max_tx_usd', maxTx);
  set('min_tx_usd', minTx);

  const [mean, std] = meanStd(amounts);
  set('amount_variance', roundTo(std * std, 2));
  if (std > 0) {
    let m3 = 0;
    let m4 = 0;
    for (const x of amounts) {
      m3 += ((x - mean) / std) ** 3;
      m4 += ((x - mean) / std) ** 4;
    }
    set('amount_skewness', roundTo(m3 / n, 4));
    set('amount_kurtosis', roundTo(m4 / n - 3, 4));
  }
  const [dailyMean, dailyStd] = meanStd(daily);
  set('volume_std', roundUsd(dailyStd, d));
  set('volume_cv', dailyMean > 0 ? roundTo(dailyStd / dailyMean, 4) : Number.NaN);

  const partyVolume = new Map<number, number>();
  for (const [p, v] of partyIn) partyVolume.set(p, v);
  for (const [p, v] of partyOut) partyVolume.set(p, (partyVolume.get(p) ?? 0) + v);
  const shares = [...partyVolume.values()].map((v) => v / Math.max(volume, 1e-9)).sort((x, y) => y - x);
  set(
    'flow_concentration',
    roundTo(
      shares.reduce((s, x) => s + x * x, 0),
      4,
    ),
  );
  set('counterparty_concentration', roundTo(shares[0] ?? 0, 4));
  set('concentration_ratio', roundTo((shares[0] ?? 0) + (shares[1] ?? 0) + (shares[2] ?? 0), 4));
  set(
    'flow_diversity',
    shares.length > 1 ? roundTo(entropyBits(shares, 1) / Math.log2(shares.length), 4) : 0,
  );
  let mutual = 0;
  let reciprocityEntropy = 0;
  for (const [p, v] of partyVolume) {
    const inShare = (partyIn.get(p) ?? 0) / v;
    if (partyIn.has(p) && partyOut.has(p)) mutual++;
    if (inShare > 0 && inShare < 1)
      reciprocityEntropy -= inShare * Math.log2(inShare) + (1 - inShare) * Math.log2(1 - inShare);
  }
  set('reciprocity_ratio', partyVolume.size > 0 ? roundTo(mutual / partyVolume.size, 4) : 0);
  set(
    'flow_reciprocity_entropy',
    partyVolume.size > 0 ? roundTo(reciprocityEntropy / partyVolume.size, 4) : 0,
  );

  set('tx_in_count', inAmounts.length);
  set('tx_out_count', outAmounts.length);
  set('tx_total_count', n);
  let activeDays = 0;
  for (const c of dailyCount) if (c > 0) activeDays++;
  set('activity_days', activeDays);
  if (n >= 2)
    set(
      'activity_span_days',
      roundTo(
        (ledger.at[ledger.txItems[ledger.txOffsets[a + 1] - 1]] -
          ledger.at[ledger.txItems[ledger.txOffsets[a]]]) /
          DAY_MS,
        3,
      ),
    );
  set('avg_daily_volume_usd', activeDays > 0 ? roundUsd(volume / activeDays, d) : 0);
  set('peak_hour', argmax(hours));
  set('peak_day', argmax(weekdays));
  set('peak_activity_hour', argmax(hourUsd));
  set('peak_activity_day', argmax(weekdayUsd));
  const [gapMean, gapStd] = meanStd(gaps);
  if (gaps.length >= 2) {
    set('regularity_score', roundTo(1 / (1 + gapStd / Math.max(gapMean, 1)), 4));
    set('flow_burstiness', gapStd + gapMean > 0 ? roundTo((gapStd - gapMean) / (gapStd + gapMean), 4) : 0);
    const sortedGaps = [...gaps].sort((x, y) => x - y);
    const mid = median(sortedGaps);
    set(
      'transaction_regularity',
      roundTo(gaps.filter((g) => Math.abs(g - mid) <= 0.2 * mid).length / gaps.length, 4),
    );
    set('amount_predictability', roundTo(1 / (1 + std / Math.max(mean, 1e-9)), 4));
    const active = [...dailyCount].filter((c) => c > 0);
    const [cm, cs] = meanStd(active);
    set('consistency_score', roundTo(Math.max(0, 1 - cs / cm), 4));
  }
  let maxBucket = 0;
  for (const c of hourBuckets.values()) maxBucket = Math.max(maxBucket, c);
  if (n >= 2) set('burst_factor', roundTo(maxBucket / (n / hourBuckets.size), 4));
  const passThrough = inUsd > 0 && outUsd > 0 ? Math.min(inUsd, outUsd) / Math.max(inUsd, outUsd) : 0;
  const lag = median(lags.sort((x, y) => x - y));
  set('velocity_score', roundTo(Number.isNaN(lag) ? 0 : passThrough * Math.exp(-lag / (12 * HOUR_MS)), 4));
  set('structuring_score', n > 0 ? roundTo((near / n) * Math.min(1, near / 3), 4) : 0);

  set('unique_assets_in', assetsIn.size);
  set('unique_assets_out', assetsOut.size);
  set(
    'asset_diversity_score',
    world.assets.length > 1 ? roundTo(entropyBits(assetUsd, volume) / Math.log2(world.assets.length), 4) : 0,
  );
  if (n >= 2) {
    set('hourly_entropy', roundTo(entropyBits(hours, n), 4));
    set('daily_entropy', roundTo(entropyBits(weekdays, n), 4));
    let repeat = 0;
    for (const day of partyDays.values()) if (day === -1) repeat++;
    set('counterparty_stability', roundTo(repeat / partyDays.size, 4));
  }
  set('weekend_transaction_ratio', n > 0 ? roundTo(weekend / n, 4) : 0);
  set('night_transaction_ratio', n > 0 ? roundTo(night / n, 4) : 0);
  set('small_transaction_ratio', n > 0 ? roundTo(small / n, 4) : 0);

  const N = ledger.actorCount;
  set('pagerank', roundSignificant(metrics.pagerank[a], 6));
  set('betweenness', roundSignificant(metrics.betweenness[a], 6));
  set('closeness', roundTo(metrics.closeness[a], 6));
  set('clustering_coefficient', roundTo(clusteringCoefficient(ledger, a), 4));
  set('kcore', metrics.kcore[a]);
  set('community_id', metrics.community[a]);
  const prLift = Math.log(metrics.pagerank[a] * N) / Math.log(N);
  set(
    'centrality_score',
    roundTo(Math.min(1, Math.max(0, 0.5 + 0.5 * prLift) * 0.6 + metrics.closeness[a] * 0.4), 4),
  );
  const r = reach(ledger, a, ctx.volume, ctx.stamp, mark);
  set('khop1_count', counterparties);
  set('khop2_count', r.khop2);
  set('khop3_count', r.khop3);
  set('khop1_volume_usd', roundUsd(r.khop1Volume, d));
  set('khop2_volume_usd', roundUsd(r.khop2Volume, d));
  set('khop3_volume_usd', roundUsd(r.khop3Volume, d));

  const med = median([...amounts].sort((x, y) => x - y));
  set('outlier_transactions', amounts.filter((x) => x > 5 * med).length);
  set('unique_recipients_count', recipients);
  set('unique_senders_count', senders);
  set('confidence_score', roundTo(1 - Math.exp(-n / 6), 4));
  const first = n > 0 ? ledger.at[ledger.txItems[ledger.txOffsets[a]]] : Number.NaN;
  set('first_activity_timestamp', Math.min(world.actors.createdAt[a], first));
  set('last_activity_timestamp', n > 0 ? ledger.at[ledger.txItems[ledger.txOffsets[a + 1] - 1]] : Number.NaN);
  describeFlags(ctx, a, out, { n, volume, counterparties, passThrough, lag });
}

interface Basics {
  n: number;
  volume: number;
  counterparties: number;
  passThrough: number;
  lag: number;
}

function describeFlags(ctx: DescribeContext, a: number, out: Float64Array, b: Basics): void {
  const { world } = ctx;
  const get = (name: string) => out[COLUMN_INDEX.get(name)!];
  const set = (name: string, value: boolean) => {
    out[COLUMN_INDEX.get(name)!] = value ? 1 : 0;
  };
  const whale = b.volume >= 1_000_000 || get('max_tx_usd') >= 250_000;
  const role = world.actors.role[a];
  set('is_exchange_like', b.counterparties >= 100 && get('tx_in_count') >= 30 && get('tx_out_count') >= 30);
  set('is_whale', whale);
  set(
    'is_mixer_like',
    b.counterparties >= 10 && get('amount_predictability') >= 0.9 && get('reciprocity_ratio') < 0.1,
  );
  set(
    'is_contract_like',
    role === 'dex' ||
      role === 'mixer' ||
      role === 'bridge' ||
      (b.n >= 20 && b.passThrough > 0.95 && b.lag < 60_000),
  );
  set('is_new_address', world.actors.createdAt[a] >= world.start);
  set('is_dormant_reactivated', world.start - world.actors.dormantSince[a] >= 90 * DAY_MS);
  set('is_high_volume_trader', b.n >= 40 && b.volume >= 250_000);
  set('is_hub_address', b.counterparties >= 50);
  set('is_retail_active', b.volume < 25_000 && b.n >= 5);
  set('is_whale_inactive', whale && b.n <= 2);
  set('is_retail_inactive', b.volume < 25_000 && b.n <= 2);
  set(
    'is_regular_user',
    get('regularity_score') >= 0.4 && get('activity_days') >= 3 && b.counterparties < 50,
  );
}
