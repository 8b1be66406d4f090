/**
 * Money-flow family for alerts: the alert address's neighbourhood in the batch's money_flows —
 * degrees, USD in and out, reciprocity, exposure to other alerted addresses and how concentrated
 * its money is on one counterparty. When the batch carries no money_flows at all every column is
 * NaN (unknown); when it does, an address without flows has degree 0 and USD 0.
 */
import type { Alert } from '../schemas/alert.js';
import type { FlowGraph } from './flow-graph.js';
import type { FeatureMatrix } from './types.js';

export const ALERT_FLOW_COLUMNS: readonly string[] = [
  'flow_in_degree',
  'flow_out_degree',
  'flow_counterparty_count',
  'flow_in_usd',
  'flow_out_usd',
  'flow_reciprocity',
  'flow_alerted_counterparty_count',
  'flow_alerted_counterparty_usd',
  'flow_max_pair_usd_share',
];

const IN = 1;
const OUT = 2;

/** Fills ALERT_FLOW_COLUMNS, starting at column `offset`. `graph` undefined: no flows in the batch. */
export function writeAlertFlows(
  alerts: readonly Alert[],
  graph: FlowGraph | undefined,
  matrix: FeatureMatrix,
  offset: number,
): void {
  if (graph === undefined) return; // the matrix is NaN-initialised
  const stride = matrix.names.length;
  const values = matrix.values;
  const width = ALERT_FLOW_COLUMNS.length;

  const alerted = new Uint8Array(graph.numNodes);
  for (const alert of alerts) {
    const v = graph.nodeOf.get(alert.address);
    if (v !== undefined) alerted[v] = 1;
  }
  // Scratch per counterparty, reset lazily through `stamp` so each address costs O(its edges).
  const stamp = new Int32Array(graph.numNodes).fill(-1);
  const direction = new Uint8Array(graph.numNodes);
  const pairUsd = new Float64Array(graph.numNodes);
  const touched = new Int32Array(graph.numNodes);
  // Alerts sharing an address share the answer: compute once, copy from the first such row.
  const firstRowOf = new Int32Array(graph.numNodes).fill(-1);

  for (let r = 0; r < alerts.length; r++) {
    const base = r * stride + offset;
    const v = graph.nodeOf.get(alerts[r]!.address);
    if (v === undefined) {
      for (let k = 0; k < width; k++) values[base + k] = 0;
      values[base + 5] = Number.NaN; // reciprocity: no counterparties
      values[base + 8] = Number.NaN; // pair share: no USD
      continue;
    }
    const first = firstRowOf[v]!;
    if (first >= 0) {
      values.copyWithin(base, first * stride + offset, first * stride + offset + width);
      continue;
    }
    firstRowOf[v] = r;

    let numTouched = 0;
    let inUsd = 0;
    let outUsd = 0;
    const visit = (u: number, dir: number, usd: number): void => {
      if (stamp[u] !== v) {
        stamp[u] = v;
        direction[u] = 0;
        pairUsd[u] = 0;
        touched[numTouched++] = u;
      }
      direction[u]! |= dir;
      pairUsd[u]! += usd;
    };
    for (let e = graph.inStart[v]!; e < graph.inStart[v + 1]!; e++) {
      visit(graph.inSource[e]!, IN, graph.inUsd[e]!);
      inUsd += graph.inUsd[e]!;
    }
    for (let e = graph.outStart[v]!; e < graph.outStart[v + 1]!; e++) {
      visit(graph.outTarget[e]!, OUT, graph.outUsd[e]!);
      outUsd += graph.outUsd[e]!;
    }

    let inDegree = 0;
    let outDegree = 0;
    let both = 0;
    let alertedCount = 0;
    let alertedUsd = 0;
    let maxPair = 0;
    for (let k = 0; k < numTouched; k++) {
      const u = touched[k]!;
      const dir = direction[u]!;
      if (dir & IN) inDegree++;
      if (dir & OUT) outDegree++;
      if (dir === (IN | OUT)) both++;
      if (alerted[u] === 1) {
        alertedCount++;
        alertedUsd += pairUsd[u]!;
      }
      if (pairUsd[u]! > maxPair) maxPair = pairUsd[u]!;
    }
    const totalUsd = inUsd + outUsd;
    values[base] = inDegree;
    values[base + 1] = outDegree;
    values[base + 2] = numTouched;
    values[base + 3] = inUsd;
    values[base + 4] = outUsd;
    values[base + 5] = numTouched > 0 ? both / numTouched : Number.NaN;
    values[base + 6] = alertedCount;
    values[base + 7] = alertedUsd;
    values[base + 8] = totalUsd > 0 ? maxPair / totalUsd : Number.NaN;
  }
}
