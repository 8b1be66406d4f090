/**
 * The simulated transaction log frozen into typed arrays and indexed three ways (per-actor time
 * order, directed successors, undirected neighbours). Detectors, graph metrics, features and flows
 * all read this one index, which is what keeps the tables in agreement with each other.
 */
import type { World } from './world.js';

export interface Ledger {
  actorCount: number;
  txCount: number;
  from: Int32Array;
  to: Int32Array;
  usd: Float64Array;
  at: Float64Array;
  asset: Uint8Array;
  /** Per actor, its transaction ids (either side) in time order: items[offsets[a]..offsets[a+1]). */
  txOffsets: Int32Array;
  txItems: Int32Array;
  /** Per actor, distinct addresses it sent to (sorted). */
  outOffsets: Int32Array;
  outItems: Int32Array;
  /** USD sent along each outItems edge over the window. */
  outUsd: Float64Array;
  /** Per actor, distinct addresses it received from (sorted). */
  inOffsets: Int32Array;
  inItems: Int32Array;
  /** Per actor, distinct counterparties in either direction (sorted). */
  nbOffsets: Int32Array;
  nbItems: Int32Array;
  /** USD moved either way along each nbItems edge over the window. */
  nbUsd: Float64Array;
}

/** Rows of owner = floor(key / n), items = key % n, from keys sorted ascending. */
function csr(n: number, keys: Float64Array) {
  const offsets = new Int32Array(n + 1);
  const items = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const owner = Math.floor(keys[i] / n);
    offsets[owner + 1]++;
    items[i] = keys[i] - owner * n;
  }
  for (let a = 0; a < n; a++) offsets[a + 1] += offsets[a];
  return { offsets, items };
}

/** Distinct pair keys a * n + b, sorted (so each owner's list comes out sorted). */
function distinctSorted(keys: number[]): Float64Array {
  const sorted = Float64Array.from(keys).sort();
  let w = 0;
  for (let r = 0; r < sorted.length; r++) if (r === 0 || sorted[r] !== sorted[r - 1]) sorted[w++] = sorted[r];
  return sorted.slice(0, w);
}

export function buildLedger(world: World): Ledger {
  const n = world.actors.role.length;
  const raw = world.tx;
  const txCount = raw.from.length;
  // Time order, ties by insertion: the order every per-actor list inherits.
  const order = Array.from({ length: txCount }, (_, i) => i).sort((a, b) => raw.at[a] - raw.at[b] || a - b);
  const from = new Int32Array(txCount);
  const to = new Int32Array(txCount);
  const usd = new Float64Array(txCount);
  const at = new Float64Array(txCount);
  const asset = new Uint8Array(txCount);
  order.forEach((src, i) => {
    from[i] = raw.from[src];
    to[i] = raw.to[src];
    usd[i] = raw.usd[src];
    at[i] = raw.at[src];
    asset[i] = raw.asset[src];
  });

  const txOffsets = new Int32Array(n + 1);
  for (let t = 0; t < txCount; t++) {
    txOffsets[from[t] + 1]++;
    if (to[t] !== from[t]) txOffsets[to[t] + 1]++;
  }
  for (let a = 0; a < n; a++) txOffsets[a + 1] += txOffsets[a];
  const txItems = new Int32Array(txOffsets[n]);
  const cursor = txOffsets.slice(0, n);
  for (let t = 0; t < txCount; t++) {
    txItems[cursor[from[t]]++] = t;
    if (to[t] !== from[t]) txItems[cursor[to[t]]++] = t;
  }

  const directed: number[] = [];
  const undirected: number[] = [];
  for (let t = 0; t < txCount; t++) {
    if (from[t] === to[t]) continue;
    directed.push(from[t] * n + to[t]);
    undirected.push(from[t] * n + to[t], to[t] * n + from[t]);
  }
  const pairs = distinctSorted(directed);
  const out = csr(n, pairs);
  const reversed = distinctSorted(Array.from(pairs, (k) => (k % n) * n + Math.floor(k / n)));
  const incoming = csr(n, reversed);
  const both = distinctSorted(undirected);
  const nb = csr(n, both);

  const outUsd = new Float64Array(out.items.length);
  const nbUsd = new Float64Array(nb.items.length);
  for (let t = 0; t < txCount; t++) {
    if (from[t] === to[t]) continue;
    outUsd[edgePosition(out.offsets, out.items, from[t], to[t])] += usd[t];
    nbUsd[edgePosition(nb.offsets, nb.items, from[t], to[t])] += usd[t];
    nbUsd[edgePosition(nb.offsets, nb.items, to[t], from[t])] += usd[t];
  }

  return {
    actorCount: n,
    txCount,
    from,
    to,
    usd,
    at,
    asset,
    txOffsets,
    txItems,
    outOffsets: out.offsets,
    outItems: out.items,
    outUsd,
    inOffsets: incoming.offsets,
    inItems: incoming.items,
    nbOffsets: nb.offsets,
    nbItems: nb.items,
    nbUsd,
  };
}

export function degreeOf(offsets: Int32Array, a: number): number {
  return offsets[a + 1] - offsets[a];
}

/** Position of b in a's sorted CSR row, or -1. */
export function edgePosition(offsets: Int32Array, items: Int32Array, a: number, b: number): number {
  let lo = offsets[a];
  let hi = offsets[a + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = items[mid];
    if (v === b) return mid;
    if (v < b) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function hasEdge(offsets: Int32Array, items: Int32Array, a: number, b: number): boolean {
  return edgePosition(offsets, items, a, b) >= 0;
}
