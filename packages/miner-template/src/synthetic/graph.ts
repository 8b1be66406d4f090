/**
 * Graph measures over the simulated flow graph: amount-weighted PageRank by power iteration,
 * k-core numbers (Batagelj–Zaversnik), local clustering coefficients, and the cheap k-hop
 * estimates. Pure functions over typed arrays.
 */

import { coreNumbers as coreNumbersCsr } from '../graph/core-numbers.js';
import type { FlowTable, UndirectedGraph } from './flows.js';
import { findFlow } from './flows.js';

/** PageRank on the directed flow graph, edges weighted by USD amount; dangling mass spread evenly. */
export function pagerank(flows: FlowTable, iterations = 20, damping = 0.85): Float64Array {
  const n = flows.addressCount;
  const outSum = new Float64Array(n);
  for (let f = 0; f < flows.length; f++) outSum[flows.from[f]] += flows.amount[f];
  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    let dangling = 0;
    for (let a = 0; a < n; a++) if (outSum[a] === 0) dangling += rank[a];
    next.fill((1 - damping) / n + (damping * dangling) / n);
    for (let f = 0; f < flows.length; f++) {
      const s = flows.from[f];
      next[flows.to[f]] += (damping * rank[s] * flows.amount[f]) / outSum[s];
    }
    [rank, next] = [next, rank];
  }
  return rank;
}

/** Core number of every node of an undirected simple graph, in O(V + E). */
export function coreNumbers(g: UndirectedGraph): Int32Array {
  return coreNumbersCsr(g.offsets, g.neighbors);
}

/**
 * Local clustering coefficient of v: links among its neighbours over deg·(deg−1)/2. Each
 * neighbour is checked from its cheaper side (its own list or v's list) so hubs stay affordable;
 * above `maxNeighbors` it is estimated on the first maxNeighbors neighbours (a fixed sample).
 * `mark` is a scratch array of node stamps (length = node count) reused across calls.
 */
export function clusteringCoefficient(
  g: UndirectedGraph,
  flows: FlowTable,
  v: number,
  mark: Int32Array,
  stamp: number,
  maxNeighbors = 300,
): number {
  const lo = g.offsets[v];
  const hi = Math.min(g.offsets[v + 1], lo + maxNeighbors);
  const deg = hi - lo;
  if (deg < 2) return 0;
  for (let k = lo; k < hi; k++) mark[g.neighbors[k]] = stamp;
  let links = 0;
  for (let k = lo; k < hi; k++) {
    const u = g.neighbors[k];
    const du = g.offsets[u + 1] - g.offsets[u];
    if (du <= deg) {
      for (let j = g.offsets[u]; j < g.offsets[u + 1]; j++) if (mark[g.neighbors[j]] === stamp) links++;
    } else {
      for (let j = lo; j < hi; j++) {
        const x = g.neighbors[j];
        if (x !== u && isEdge(flows, u, x)) links++;
      }
    }
  }
  // every link was seen from both of its ends
  return links / (deg * (deg - 1));
}

function isEdge(flows: FlowTable, a: number, b: number): boolean {
  return findFlow(flows, a, b) >= 0 || findFlow(flows, b, a) >= 0;
}

/**
 * Upper-bound estimate of the 2-hop neighbourhood size: Σ over neighbours of (their degree − 1),
 * capped by the graph size. Exact when neighbourhoods do not overlap (typical away from hubs).
 */
export function khop2Estimate(g: UndirectedGraph, v: number): number {
  const n = g.offsets.length - 1;
  let sum = 0;
  for (let k = g.offsets[v]; k < g.offsets[v + 1]; k++) {
    const u = g.neighbors[k];
    sum += g.offsets[u + 1] - g.offsets[u] - 1;
  }
  return Math.min(n - 1, sum + (g.offsets[v + 1] - g.offsets[v]));
}
