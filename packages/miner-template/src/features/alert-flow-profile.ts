/**
 * Flow-profile family: what a model would like to know about an address's amounts and timing
 * (typical transfer size, spread of sizes, pass-through, how long money stays, transfers just
 * under the reporting threshold), derived from the batch's money_flows so it exists for every
 * producer that sends flows, whatever columns its features table carries. Per-flow averages
 * (`avg_tx_size_usd`, else amount / tx_count) stand in for the individual transfers a miner
 * never sees. No money_flows in the batch: every column NaN; an address without flows: counts
 * 0 and statistics NaN.
 */
import type { Alert } from '../schemas/alert.js';
import type { MoneyFlow } from '../schemas/money-flow.js';
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

function avgSize(f: MoneyFlow): number {
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

function add(side: Side, f: MoneyFlow): void {
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
  flows: readonly MoneyFlow[],
  matrix: FeatureMatrix,
  offset: number,
): void {
  if (flows.length === 0) return; // unknown, not "no flows": the matrix is NaN-initialised
  const sides = new Map<string, { in: Side; out: Side }>();
  for (const a of alerts)
    if (!sides.has(a.address)) sides.set(a.address, { in: emptySide(), out: emptySide() });
  for (const f of flows) {
    if (f.from_address === f.to_address) continue;
    const to = sides.get(f.to_address);
    if (to) add(to.in, f);
    const from = sides.get(f.from_address);
    if (from) add(from.out, f);
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
