/**
 * Graph metrics over the whole simulated network, computed the way a batch pipeline affords them:
 * PageRank by power iteration (sums to 1 over the network, so a node's value is ~1/N, not a [0,1]
 * score), betweenness and closeness from a sample of BFS sources, exact k-cores, clustering and
 * k-hop reach that are exact when cheap and walk-count estimates around hubs, and label propagation
 * communities that ignore hubs (otherwise every exchange customer is one community).
 */
import { coreNumbers } from '../graph/core-numbers.js';
import { degreeOf, hasEdge, type Ledger } from './ledger.js';
import type { Rng } from './rng.js';

export interface GraphMetrics {
  pagerank: Float64Array;
  betweenness: Float64Array;
  closeness: Float64Array;
  kcore: Int32Array;
  community: Int32Array;
}

function pagerank(ledger: Ledger, iterations = 30, damping = 0.85): Float64Array {
  const n = ledger.actorCount;
  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    let dangling = 0;
    next.fill(0);
    for (let a = 0; a < n; a++) {
      const deg = degreeOf(ledger.outOffsets, a);
      if (deg === 0) {
        dangling += rank[a];
        continue;
      }
      const share = rank[a] / deg;
      for (let k = ledger.outOffsets[a]; k < ledger.outOffsets[a + 1]; k++) next[ledger.outItems[k]] += share;
    }
    const base = (1 - damping) / n + (damping * dangling) / n;
    for (let a = 0; a < n; a++) next[a] = base + damping * next[a];
    [rank, next] = [next, rank];
  }
  return rank;
}

/** Brandes from sampled sources; also accumulates landmark distances for closeness. */
function sampledPaths(
  ledger: Ledger,
  rng: Rng,
  sources: number,
): { betweenness: Float64Array; closeness: Float64Array } {
  const n = ledger.actorCount;
  const { nbOffsets: off, nbItems: items } = ledger;
  const between = new Float64Array(n);
  const distSum = new Float64Array(n);
  const reached = new Int32Array(n);
  const dist = new Int32Array(n);
  const sigma = new Float64Array(n);
  const delta = new Float64Array(n);
  const queue = new Int32Array(n);
  const k = Math.min(n, sources);
  for (let s = 0; s < k; s++) {
    const source = rng.int(n);
    dist.fill(-1);
    sigma.fill(0);
    delta.fill(0);
    dist[source] = 0;
    sigma[source] = 1;
    let head = 0;
    let tail = 0;
    queue[tail++] = source;
    while (head < tail) {
      const v = queue[head++];
      distSum[v] += dist[v];
      if (v !== source) reached[v]++;
      for (let e = off[v]; e < off[v + 1]; e++) {
        const w = items[e];
        if (dist[w] < 0) {
          dist[w] = dist[v] + 1;
          queue[tail++] = w;
        }
        if (dist[w] === dist[v] + 1) sigma[w] += sigma[v];
      }
    }
    for (let i = tail - 1; i > 0; i--) {
      const w = queue[i];
      for (let e = off[w]; e < off[w + 1]; e++) {
        const v = items[e];
        if (dist[v] === dist[w] - 1) delta[v] += (sigma[v] / sigma[w]) * (1 + delta[w]);
      }
      between[w] += delta[w];
    }
  }
  const closeness = new Float64Array(n);
  // Undirected pairs are counted from both ends; normalise to the [0,1] fraction of pairs.
  const scale = n > 2 ? n / k / 2 / (((n - 1) * (n - 2)) / 2) : 0;
  for (let v = 0; v < n; v++) {
    between[v] *= scale;
    closeness[v] = reached[v] > 0 ? (reached[v] / k) * (reached[v] / distSum[v]) : 0;
  }
  return { betweenness: between, closeness };
}

function labelPropagation(ledger: Ledger, rounds = 5, hubDegree = 150): Int32Array {
  const n = ledger.actorCount;
  const label = Int32Array.from({ length: n }, (_, i) => i);
  const votes = new Float64Array(n);
  const touched: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let v = 0; v < n; v++) {
      touched.length = 0;
      for (let e = ledger.nbOffsets[v]; e < ledger.nbOffsets[v + 1]; e++) {
        const u = ledger.nbItems[e];
        if (degreeOf(ledger.nbOffsets, u) > hubDegree) continue;
        if (votes[label[u]] === 0) touched.push(label[u]);
        votes[label[u]]++;
      }
      let best = label[v];
      let bestVotes = 0;
      for (const l of touched) {
        if (votes[l] > bestVotes || (votes[l] === bestVotes && l < best)) {
          best = l;
          bestVotes = votes[l];
        }
        votes[l] = 0;
      }
      label[v] = best;
    }
  }
  return label;
}

export function graphMetrics(ledger: Ledger, rng: Rng): GraphMetrics {
  const paths = sampledPaths(ledger, rng, 24);
  return {
    pagerank: pagerank(ledger),
    betweenness: paths.betweenness,
    closeness: paths.closeness,
    kcore: coreNumbers(ledger.nbOffsets, ledger.nbItems),
    community: labelPropagation(ledger),
  };
}

/** Local clustering coefficient; around hubs only the first `cap` neighbours are examined. */
export function clusteringCoefficient(ledger: Ledger, v: number, cap = 200): number {
  const { nbOffsets: off, nbItems: items } = ledger;
  const deg = Math.min(cap, degreeOf(off, v));
  if (deg < 2) return Number.NaN;
  let links = 0;
  for (let i = 0; i < deg; i++) {
    const u = items[off[v] + i];
    for (let j = i + 1; j < deg; j++) if (hasEdge(off, items, u, items[off[v] + j])) links++;
  }
  return links / ((deg * (deg - 1)) / 2);
}

export interface Reach {
  khop1Volume: number;
  khop2: number;
  khop3: number;
  khop2Volume: number;
  khop3Volume: number;
}

/**
 * Distinct nodes (and their summed volume) within 2 and 3 hops, cumulative and excluding v: exact
 * under a scan budget, walk-count estimates around hubs. `stamp` is scratch of length N that must
 * not contain `mark` yet.
 */
export function reach(
  ledger: Ledger,
  v: number,
  volume: Float64Array,
  stamp: Int32Array,
  mark: number,
  budget = 2_000,
): Reach {
  const { nbOffsets: off, nbItems: items } = ledger;
  const n = ledger.actorCount;
  const khop1 = degreeOf(off, v);
  stamp[v] = mark;
  let khop1Volume = 0;
  for (let e = off[v]; e < off[v + 1]; e++) {
    stamp[items[e]] = mark;
    khop1Volume += volume[items[e]];
  }
  const ringCount = [0, 0];
  const ringVolume = [0, 0];
  let frontier = Array.from(items.subarray(off[v], off[v + 1]));
  let scanned = 0;
  let exactDepth = 1;
  for (let ring = 0; ring < 2; ring++) {
    const next: number[] = [];
    let complete = true;
    for (const u of frontier) {
      scanned += degreeOf(off, u);
      if (scanned > budget) {
        complete = false;
        break;
      }
      for (let e = off[u]; e < off[u + 1]; e++) {
        const w = items[e];
        if (stamp[w] === mark) continue;
        stamp[w] = mark;
        next.push(w);
        ringCount[ring]++;
        ringVolume[ring] += volume[w];
      }
    }
    if (!complete) break;
    exactDepth++;
    frontier = next;
  }
  const exact2 = exactDepth >= 2;
  const khop2 = exact2 ? khop1 + ringCount[0] : estimateTwoHop(ledger, v);
  const khop2Volume = exact2 ? khop1Volume + ringVolume[0] : estimateTwoHopVolume(ledger, v, volume);
  if (exactDepth >= 3) {
    return {
      khop1Volume,
      khop2,
      khop3: khop2 + ringCount[1],
      khop2Volume,
      khop3Volume: khop2Volume + ringVolume[1],
    };
  }
  // Past a hub almost everything is three hops away; extrapolate from the two-hop reach.
  const khop3 = Math.min(n - 1, Math.max(khop2, Math.round(khop2 * 2.5)));
  return { khop1Volume, khop2, khop3, khop2Volume, khop3Volume: khop2Volume * 2.5 };
}

/** Walk counts overcount shared neighbours; half the excess is a cheap correction. */
function estimateTwoHop(ledger: Ledger, v: number): number {
  const off = ledger.nbOffsets;
  let walks = 0;
  for (let e = off[v]; e < off[v + 1]; e++) walks += degreeOf(off, ledger.nbItems[e]) - 1;
  return Math.min(ledger.actorCount - 1, Math.round(degreeOf(off, v) + walks / 2));
}

function estimateTwoHopVolume(ledger: Ledger, v: number, volume: Float64Array): number {
  const off = ledger.nbOffsets;
  let total = 0;
  for (let e = off[v]; e < off[v + 1]; e++) {
    const u = ledger.nbItems[e];
    total += volume[u] * (1 + Math.sqrt(degreeOf(off, u)));
  }
  return total;
}
