/**
 * Aggregates the ledger into directed money flows (one per address pair, docs/data-contracts.md money_flows) in
 * typed arrays, plus the per-address flow lists the features and graph measures are read from.
 * Flows are numbered by (sender, receiver), so a sender's flows are contiguous and sorted.
 */
import { ASSETS, type TxStore } from './tx-store.js';
import { DAY_MS } from './world.js';

export interface FlowTable {
  length: number;
  from: Int32Array;
  to: Int32Array;
  txCount: Int32Array;
  amount: Float64Array;
  first: Float64Array;
  last: Float64Array;
  activeDays: Int32Array;
  uniqueAssets: Uint8Array;
  dominantAsset: Uint8Array;
  /** Flow id of the reverse pair (to -> from), -1 when money never went back. */
  reverse: Int32Array;
  /** Per-address outgoing and incoming flow ids (CSR). */
  outOffsets: Int32Array;
  outFlows: Int32Array;
  inOffsets: Int32Array;
  inFlows: Int32Array;
  addressCount: number;
}

/**
 * Flow id of the pair (from -> to), or -1. A source's out-flows are contiguous and sorted by
 * destination, so this is a binary search.
 */
export function findFlow(flows: FlowTable, from: number, to: number): number {
  let lo = flows.outOffsets[from];
  let hi = flows.outOffsets[from + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const t = flows.to[mid];
    if (t === to) return mid;
    if (t < to) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function aggregateFlows(
  store: TxStore,
  addressCount: number,
  windowStart: number,
  windowDays: number,
): FlowTable {
  const n = store.length;
  // group transactions by sender (counting sort), then order each group by receiver
  const bySender = csr(store.from, n, addressCount);
  const txOrder = bySender.items;
  const flowOfTx = new Int32Array(n);
  const outOffsets = new Int32Array(addressCount + 1);
  let flows = 0;
  let keys = new Float64Array(1024);
  for (let a = 0; a < addressCount; a++) {
    const lo = bySender.offsets[a];
    const hi = bySender.offsets[a + 1];
    outOffsets[a] = flows;
    if (hi === lo) continue;
    if (hi - lo > keys.length) keys = new Float64Array(2 * (hi - lo));
    // receiver in the high part, position in the group in the low 22 bits: sorting keeps ledger order per pair
    for (let k = lo; k < hi; k++) keys[k - lo] = store.to[txOrder[k]] * 4194304 + (k - lo);
    const group = keys.subarray(0, hi - lo).sort();
    let prevTo = -1;
    for (let k = 0; k < group.length; k++) {
      const to = Math.floor(group[k] / 4194304);
      if (to !== prevTo) {
        flows++;
        prevTo = to;
      }
      flowOfTx[txOrder[lo + (group[k] - to * 4194304)]] = flows - 1;
    }
  }
  outOffsets[addressCount] = flows;
  const from = new Int32Array(flows);
  const to = new Int32Array(flows);
  const txCount = new Int32Array(flows);
  const amount = new Float64Array(flows);
  const first = new Float64Array(flows).fill(Number.POSITIVE_INFINITY);
  const last = new Float64Array(flows).fill(Number.NEGATIVE_INFINITY);
  const words = Math.ceil(windowDays / 32);
  const dayBits = new Uint32Array(flows * words);
  const assetCounts = new Uint32Array(flows * ASSETS.length);
  for (let i = 0; i < n; i++) {
    const f = flowOfTx[i];
    from[f] = store.from[i];
    to[f] = store.to[i];
    txCount[f]++;
    amount[f] += store.amount[i];
    const ts = store.ts[i];
    if (ts < first[f]) first[f] = ts;
    if (ts > last[f]) last[f] = ts;
    const day = Math.min(windowDays - 1, Math.max(0, Math.floor((ts - windowStart) / DAY_MS)));
    dayBits[f * words + (day >>> 5)] |= 1 << (day & 31);
    assetCounts[f * ASSETS.length + store.asset[i]]++;
  }
  const activeDays = new Int32Array(flows);
  const uniqueAssets = new Uint8Array(flows);
  const dominantAsset = new Uint8Array(flows);
  const reverse = new Int32Array(flows);
  for (let f = 0; f < flows; f++) {
    let days = 0;
    for (let k = 0; k < words; k++) days += popcount(dayBits[f * words + k]);
    activeDays[f] = days;
    let best = 0;
    let uniq = 0;
    for (let a = 0; a < ASSETS.length; a++) {
      const c = assetCounts[f * ASSETS.length + a];
      if (c > 0) uniq++;
      if (c > assetCounts[f * ASSETS.length + best]) best = a;
    }
    uniqueAssets[f] = uniq;
    dominantAsset[f] = best;
  }
  const partial = { to, outOffsets } as FlowTable;
  for (let f = 0; f < flows; f++) reverse[f] = findFlow(partial, to[f], from[f]);
  const outFlows = new Int32Array(flows);
  for (let f = 0; f < flows; f++) outFlows[f] = f;
  const inCsr = csr(to, flows, addressCount);
  return {
    length: flows,
    from,
    to,
    txCount,
    amount,
    first,
    last,
    activeDays,
    uniqueAssets,
    dominantAsset,
    reverse,
    outOffsets,
    outFlows,
    inOffsets: inCsr.offsets,
    inFlows: inCsr.items,
    addressCount,
  };
}

function csr(
  owner: Int32Array,
  count: number,
  addressCount: number,
): { offsets: Int32Array; items: Int32Array } {
  const offsets = new Int32Array(addressCount + 1);
  for (let f = 0; f < count; f++) offsets[owner[f] + 1]++;
  for (let a = 0; a < addressCount; a++) offsets[a + 1] += offsets[a];
  const cursor = offsets.slice(0, addressCount);
  const items = new Int32Array(count);
  for (let f = 0; f < count; f++) items[cursor[owner[f]]++] = f;
  return { offsets, items };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Volume-based reciprocity of a pair: the smaller direction over the larger (0 when one-way). */
export function flowReciprocity(flows: FlowTable, f: number): number {
  const r = flows.reverse[f];
  if (r < 0) return 0;
  const a = flows.amount[f];
  const b = flows.amount[r];
  return Math.min(a, b) / Math.max(a, b);
}

/**
 * Undirected simple graph from the flows (a pair with flows both ways is one edge), as CSR.
 * Used for k-core, clustering and k-hop measures.
 */
export interface UndirectedGraph {
  offsets: Int32Array;
  neighbors: Int32Array;
}

export function undirectedGraph(flows: FlowTable): UndirectedGraph {
  const n = flows.addressCount;
  const keep = (f: number) => flows.reverse[f] < 0 || flows.from[f] < flows.to[f];
  const offsets = new Int32Array(n + 1);
  for (let f = 0; f < flows.length; f++) {
    if (!keep(f)) continue;
    offsets[flows.from[f] + 1]++;
    offsets[flows.to[f] + 1]++;
  }
  for (let a = 0; a < n; a++) offsets[a + 1] += offsets[a];
  const cursor = offsets.slice(0, n);
  const neighbors = new Int32Array(offsets[n]);
  for (let f = 0; f < flows.length; f++) {
    if (!keep(f)) continue;
    neighbors[cursor[flows.from[f]]++] = flows.to[f];
    neighbors[cursor[flows.to[f]]++] = flows.from[f];
  }
  return { offsets, neighbors };
}
