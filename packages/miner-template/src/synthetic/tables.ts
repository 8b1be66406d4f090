/**
 * Turns the simulation into the batch's features and money_flows tables for a chosen set of
 * addresses: every flow touching an alerted address, and a features row for every alerted
 * address and every endpoint of those flows. Rows are ordered by address id (deterministic).
 */
import type { FeatureTable } from '../data/batch.js';
import type { MoneyFlow } from '../schemas/money-flow.js';
import { computeFeatures, FEATURE_COUNT, type FeatureContext } from './features.js';
import { type FlowTable, flowReciprocity } from './flows.js';
import type { Population } from './population.js';
import { FEATURE_COLUMNS, OUTPUT_COLUMNS } from './row-layout.js';
import { ASSETS } from './tx-store.js';

export interface OutputTables {
  /** The batch's features table: the upstream columns only. */
  features: FeatureTable;
  /** Every computed column (upstream and internal) per row, for the alert evidence. */
  allColumns: Map<string, Float64Array>;
  /** Address id -> row in `features`. */
  rowOf: Map<number, number>;
  /** Address id of each features row. */
  rowIds: Int32Array;
  flowIds: Int32Array;
}

/** Up to three largest counterparties of a in one direction (address ids), largest first. */
export function topCounterparties(flows: FlowTable, a: number, inbound: boolean): number[] {
  const offsets = inbound ? flows.inOffsets : flows.outOffsets;
  const list = inbound ? flows.inFlows : flows.outFlows;
  const best: number[] = [];
  for (let k = offsets[a]; k < offsets[a + 1]; k++) {
    const f = list[k];
    // keep the three largest flows (ties: lower flow id first) without sorting a hub's whole list
    let pos = best.length;
    while (
      pos > 0 &&
      (flows.amount[best[pos - 1]] < flows.amount[f] ||
        (flows.amount[best[pos - 1]] === flows.amount[f] && best[pos - 1] > f))
    )
      pos--;
    if (pos < 3) {
      best.splice(pos, 0, f);
      if (best.length > 3) best.pop();
    }
  }
  return best.map((f) => (inbound ? flows.from[f] : flows.to[f]));
}

/**
 * The batch's scope: the alerted addresses and their three largest counterparties each way (the
 * ones alert evidence names). money_flows is every flow between two addresses in scope, and
 * every address in scope has a features row, so an address whose counterparties are all in scope
 * has exactly degree_in flows into it in the table.
 */
export function buildTables(
  ctx: FeatureContext,
  alerted: Iterable<number>,
  onProgress?: (done: number, total: number) => void,
): OutputTables {
  const { flows, pop } = ctx;
  const inSet = new Uint8Array(pop.length);
  for (const a of alerted) {
    inSet[a] = 1;
    for (const b of topCounterparties(flows, a, true)) inSet[b] = 1;
    for (const b of topCounterparties(flows, a, false)) inSet[b] = 1;
  }
  let rows = 0;
  for (let a = 0; a < pop.length; a++) rows += inSet[a];
  const rowIds = new Int32Array(rows);
  for (let a = 0, j = 0; a < pop.length; a++) if (inSet[a]) rowIds[j++] = a;
  const kept: number[] = [];
  for (const a of rowIds) {
    for (let f = flows.outOffsets[a]; f < flows.outOffsets[a + 1]; f++) if (inSet[flows.to[f]]) kept.push(f);
  }
  const flowIds = Int32Array.from(kept);
  const columns = new Map<string, Float64Array>();
  const cols = FEATURE_COLUMNS.map((name) => {
    const col = new Float64Array(rows);
    columns.set(name, col);
    return col;
  });
  const row = new Float64Array(FEATURE_COUNT);
  const address: string[] = new Array(rows);
  const rowOf = new Map<number, number>();
  for (let j = 0; j < rows; j++) {
    const a = rowIds[j];
    computeFeatures(ctx, a, row, true);
    for (let c = 0; c < FEATURE_COUNT; c++) cols[c][j] = row[c];
    address[j] = pop.address(a);
    rowOf.set(a, j);
    if (onProgress && (j & 16383) === 16383) onProgress(j + 1, rows);
  }
  const output = new Map<string, Float64Array>();
  for (const name of OUTPUT_COLUMNS) output.set(name, columns.get(name) as Float64Array);
  return { features: { address, columns: output }, allColumns: columns, rowOf, rowIds, flowIds };
}

function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

export function moneyFlowRows(flows: FlowTable, flowIds: Int32Array, pop: Population): MoneyFlow[] {
  const out: MoneyFlow[] = new Array(flowIds.length);
  for (let j = 0; j < flowIds.length; j++) {
    const f = flowIds[j];
    const sum = cents(flows.amount[f]);
    out[j] = {
      from_address: pop.address(flows.from[f]),
      to_address: pop.address(flows.to[f]),
      tx_count: flows.txCount[f],
      amount_usd_sum: sum,
      first_seen_timestamp: flows.first[f],
      last_seen_timestamp: flows.last[f],
      active_days: flows.activeDays[f],
      avg_tx_size_usd: cents(flows.amount[f] / flows.txCount[f]),
      unique_assets: flows.uniqueAssets[f],
      dominant_asset: ASSETS[flows.dominantAsset[f]],
      reciprocity_ratio: Math.round(flowReciprocity(flows, f) * 1e6) / 1e6,
      is_bidirectional: flows.reverse[f] >= 0,
    };
  }
  return out;
}
