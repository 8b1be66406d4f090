/**
 * Flow-profile family: what a model would like to know about an address's amounts and timing
 * (typical transfer size, spread of sizes, pass-through, how long money stays, transfers just
 * under the reporting threshold), derived from the batch's money_flows so it exists for every
 * producer that sends flows, whatever columns its features table carries. Per-flow averages
 * (`avg_tx_size_usd`, else amount / tx_count) stand in for the individual transfers a miner
 * never sees. No money_flows in the batch: every column NaN; an address without flows: counts
 * 0 and statistics NaN.
 */

import type { MoneyFlowColumns } from '../data/money-flow-columns.js';
import type { Alert } from '../schemas/alert.js';
import type { FeatureMatrix } from './types.js';

export const FLOW_PROFILE_COLUMNS: readonly string[] = [
  'flowp_in_tx_count',
  'flowp_out_tx_count',
  'flowp_in_avg_tx_p50_usd',
  'flowp_out_avg_tx_p50_usd',
  'flowp_avg_tx_cv',
  'flowp_pass_through',
  'flowp_log_in_out_ratio',
  'flowp_hold_hours',
  'flowp_span_hours',
  'flowp_max_active_days',
  'flowp_near_threshold_tx_share',
];

const HOUR_MS = 3_600_000;
/** Transfers in [8,000, 10,000) USD sit just under the common 10,000 USD reporting threshold. */
const NEAR_LO = 8_000;
const NEAR_HI = 10_000;

/** Median of a small list (sorted copy); NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One flow's numbers, read from the columns (a reused view, not a row per flow). */
interface Flow {
  tx_count: number;
  amount_usd_sum: number;
  avg_tx_size_usd: number;
  first_seen_timestamp: number;
  last_seen_timestamp: number;
  active_days: number;
}

function avgSize(f: Flow): number {
  if (Number.isFinite(f.avg_tx_size_usd)) return f.avg_tx_size_usd;
  return f.tx_count > 0 ? f.amount_usd_sum / f.tx_count : Number.NaN;
}

interface Side {
  tx: number;
  usd: number;
  sizes: number[];
  /** Σ usd·first_seen over flows with both known, and that USD. */
  timeUsd: number;
  timedUsd: number;
  first: number;
  last: number;
  maxDays: number;
  near: number;
}

const emptySide = (): Side => ({
  tx: 0,
  usd: 0,
  sizes: [],
  timeUsd: 0,
  timedUsd: 0,
  first: Number.POSITIVE_INFINITY,
  last: Number.NEGATIVE_INFINITY,
  maxDays: 0,
  near: 0,
});

function add(side: Side, f: Flow): void {
  const tx = Number.isFinite(f.tx_count) ? f.tx_count : 1;
  const usd = Number.isFinite(f.amount_usd_sum) ? f.amount_usd_sum : 0;
  const size = avgSize(f);
  side.tx += tx;
  side.usd += usd;
  if (Number.isFinite(size)) {
    side.sizes.push(size);
    if (size >= NEAR_LO && size < NEAR_HI) side.near += tx;
  }
  if (Number.isFinite(f.first_seen_timestamp) && usd > 0) {
    side.timeUsd += usd * f.first_seen_timestamp;
    side.timedUsd += usd;
  }
  if (Number.isFinite(f.first_seen_timestamp)) side.first = Math.min(side.first, f.first_seen_timestamp);
  if (Number.isFinite(f.last_seen_timestamp)) side.last = Math.max(side.last, f.last_seen_timestamp);
  if (Number.isFinite(f.active_days)) side.maxDays = Math.max(side.maxDays, f.active_days);
}

function cv(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= xs.length;
  if (!(mean > 0)) return Number.NaN;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return Math.sqrt(ss / (xs.length - 1)) / mean;
}

/** The family's values for one address, in FLOW_PROFILE_COLUMNS order. */
function flowProfile(inSide: Side, outSide: Side): number[] {
  const n = inSide.sizes.length + outSide.sizes.length;
  const maxUsd = Math.max(inSide.usd, outSide.usd);
  const hold =
    inSide.timedUsd > 0 && outSide.timedUsd > 0
      ? (outSide.timeUsd / outSide.timedUsd - inSide.timeUsd / inSide.timedUsd) / HOUR_MS
      : Number.NaN;
  const first = Math.min(inSide.first, outSide.first);
  const last = Math.max(inSide.last, outSide.last);
  const tx = inSide.tx + outSide.tx;
  return [
    inSide.tx,
    outSide.tx,
    median(inSide.sizes),
    median(outSide.sizes),
    cv([...inSide.sizes, ...outSide.sizes]),
    maxUsd > 0 ? Math.min(inSide.usd, outSide.usd) / maxUsd : Number.NaN,
    n > 0 ? Math.log((inSide.usd + 1) / (outSide.usd + 1)) : Number.NaN,
    hold,
    Number.isFinite(first) && Number.isFinite(last) ? (last - first) / HOUR_MS : Number.NaN,
    n > 0 ? Math.max(inSide.maxDays, outSide.maxDays) : Number.NaN,
    tx > 0 ? (inSide.near + outSide.near) / tx : Number.NaN,
  ];
}

/** Fills FLOW_PROFILE_COLUMNS from `flows`, starting at column `offset`; O(alerts + flows). */
export function writeFlowProfile(
  alerts: readonly Alert[],
  flows: MoneyFlowColumns,
  matrix: FeatureMatrix,
  offset: number,
): void {
  if (flows.length === 0) return; // unknown, not "no flows": the matrix is NaN-initialised
  const sides = new Map<string, { in: Side; out: Side }>();
  for (const a of alerts)
    if (!sides.has(a.address)) sides.set(a.address, { in: emptySide(), out: emptySide() });
  const sideOf = flows.addresses.map((address) => sides.get(address));
  const { numbers } = flows;
  const f: Flow = {
    tx_count: 0,
    amount_usd_sum: 0,
    avg_tx_size_usd: 0,
    first_seen_timestamp: 0,
    last_seen_timestamp: 0,
    active_days: 0,
  };
  for (let i = 0; i < flows.length; i++) {
    const from = flows.from[i]!;
    const to = flows.to[i]!;
    if (from === to) continue; // a self-loop (each address has one code)
    const toSide = sideOf[to];
    const fromSide = sideOf[from];
    if (toSide === undefined && fromSide === undefined) continue;
    f.tx_count = numbers.tx_count[i]!;
    f.amount_usd_sum = numbers.amount_usd_sum[i]!;
    f.avg_tx_size_usd = numbers.avg_tx_size_usd[i]!;
    f.first_seen_timestamp = numbers.first_seen_timestamp[i]!;
    f.last_seen_timestamp = numbers.last_seen_timestamp[i]!;
    f.active_days = numbers.active_days[i]!;
    if (toSide) add(toSide.in, f);
    if (fromSide) add(fromSide.out, f);
  }
  const cache = new Map<string, number[]>();
  const stride = matrix.names.length;
  for (let r = 0; r < alerts.length; r++) {
    const address = alerts[r]!.address;
    let row = cache.get(address);
    if (row === undefined) {
      const s = sides.get(address)!;
      row = flowProfile(s.in, s.out);
      cache.set(address, row);
    }
    for (let k = 0; k < row.length; k++) matrix.values[r * stride + offset + k] = row[k]!;
  }
}
