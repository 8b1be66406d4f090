/**
 * The batch's money flows as a directed graph in compressed sparse rows (out- and in-edges per
 * address), built once per batch in O(flows). Addresses are interned to dense ids so per-address
 * work can use typed scratch arrays instead of per-row objects. Self-loops are dropped (they say
 * nothing about counterparties); a missing amount counts as 0 USD but the edge still counts.
 */
import type { MoneyFlowColumns } from '../data/money-flow-columns.js';

export interface FlowGraph {
  /** address → node id (0..numNodes-1), in order of first appearance in the flows. */
  nodeOf: Map<string, number>;
  numNodes: number;
  /** Out-edges of node v: outTarget/outUsd[outStart[v] .. outStart[v+1]). */
  outStart: Int32Array;
  outTarget: Int32Array;
  outUsd: Float64Array;
  /** In-edges of node v: inSource/inUsd[inStart[v] .. inStart[v+1]). */
  inStart: Int32Array;
  inSource: Int32Array;
  inUsd: Float64Array;
}

export function buildFlowGraph(flows: MoneyFlowColumns): FlowGraph {
  // the columns code addresses once each, in order of first appearance: a code is a node id
  const nodeOf = new Map<string, number>(flows.addresses.map((address, code) => [address, code]));
  const n = flows.length;
  const from = new Int32Array(n);
  const to = new Int32Array(n);
  const usd = new Float64Array(n);
  const amounts = flows.numbers.amount_usd_sum;
  let numEdges = 0;
  for (let i = 0; i < n; i++) {
    const a = flows.from[i]!;
    const b = flows.to[i]!;
    if (a === b) continue;
    from[numEdges] = a;
    to[numEdges] = b;
    usd[numEdges] = Number.isNaN(amounts[i]!) ? 0 : amounts[i]!;
    numEdges++;
  }
  const numNodes = nodeOf.size;
  const out = toCsr(numNodes, numEdges, from, to, usd);
  const inn = toCsr(numNodes, numEdges, to, from, usd);
  return {
    nodeOf,
    numNodes,
    outStart: out.start,
    outTarget: out.other,
    outUsd: out.usd,
    inStart: inn.start,
    inSource: inn.other,
    inUsd: inn.usd,
  };
}

/** Counting sort of edges by `key`, stable so the edge order inside a row is the flow order. */
function toCsr(numNodes: number, numEdges: number, key: Int32Array, other: Int32Array, usd: Float64Array) {
  const start = new Int32Array(numNodes + 1);
  for (let e = 0; e < numEdges; e++) start[key[e]! + 1]!++;
  for (let v = 0; v < numNodes; v++) start[v + 1]! += start[v]!;
  const cursor = start.slice(0, numNodes);
  const otherOut = new Int32Array(numEdges);
  const usdOut = new Float64Array(numEdges);
  for (let e = 0; e < numEdges; e++) {
    const slot = cursor[key[e]!]!++;
    otherOut[slot] = other[e]!;
    usdOut[slot] = usd[e]!;
  }
  return { start, other: otherOut, usd: usdOut };
}
