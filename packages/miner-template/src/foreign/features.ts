/**
 * The foreign features table: per-row values from describe.ts, population-relative anomaly scores,
 * then export-time gaps. Gaps follow the data first (structural: no timing for single-transaction
 * wallets, no graph metrics below two counterparties, a few rows whose enrichment job failed) and
 * then per-column random rates around the style's missingRate, lighter on the core set.
 */
import type { FeatureTable } from '../data/batch.js';
import { canGoMissing, chooseColumns, isCoreColumn, type Needs, UPSTREAM_COLUMNS } from './columns.js';
import { COLUMN_INDEX, type DescribeContext, describeActor } from './describe.js';
import type { ForeignStyle } from './formats.js';
import { roundTo } from './formats.js';
import type { GraphMetrics } from './graph.js';
import type { Ledger } from './ledger.js';
import type { Rng } from './rng.js';
import type { World } from './world.js';

const BLACKOUT_ROW_SHARE = 0.015;

function robustZ(values: number[]): (x: number) => number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return () => 0;
  const med = finite[finite.length >> 1];
  const dev = finite.map((x) => Math.abs(x - med)).sort((a, b) => a - b);
  const mad = 1.4826 * dev[dev.length >> 1] + 1e-6;
  return (x) => (Number.isFinite(x) ? Math.abs(x - med) / mad : 0);
}

function column(rows: Float64Array[], name: string): number[] {
  const i = COLUMN_INDEX.get(name)!;
  return rows.map((r) => r[i]);
}

/** Scores that only make sense relative to the other rows of the batch. */
function scoreAnomalies(rows: Float64Array[], actors: number[], ledger: Ledger, pagerankN: number): void {
  const idx = (name: string) => COLUMN_INDEX.get(name)!;
  const inputs = ['total_volume_usd', 'tx_total_count'].map((name) => column(rows, name).map(Math.log1p));
  for (const name of [
    'velocity_score',
    'structuring_score',
    'burst_factor',
    'night_transaction_ratio',
    'flow_concentration',
  ]) {
    inputs.push(column(rows, name));
  }
  const zs = inputs.map(robustZ);
  const graphResidual = rows.map(
    (r) => Math.log(r[idx('pagerank')] * pagerankN) - 0.8 * Math.log1p(r[idx('unique_counterparties')]),
  );
  const zGraph = robustZ(graphResidual);
  const zClustering = robustZ(column(rows, 'clustering_coefficient'));
  const zMax = robustZ(column(rows, 'max_tx_usd').map(Math.log1p));
  const rowOf = new Map(actors.map((a, i) => [a, i]));
  const behavioral = rows.map((_, i) => {
    let sum = 0;
    for (let k = 0; k < zs.length; k++) sum += Math.min(6, zs[k](inputs[k][i]));
    return 1 - Math.exp(-sum / zs.length / 1.5);
  });
  rows.forEach((r, i) => {
    const graph =
      1 -
      Math.exp(
        -(
          Math.min(6, zGraph(graphResidual[i])) + Math.min(6, zClustering(r[idx('clustering_coefficient')]))
        ) / 3,
      );
    let near = 0;
    let count = 0;
    const a = actors[i];
    for (let e = ledger.nbOffsets[a]; e < ledger.nbOffsets[a + 1]; e++) {
      const j = rowOf.get(ledger.nbItems[e]);
      if (j !== undefined) {
        near += behavioral[j];
        count++;
      }
    }
    const flag = (name: string) => r[idx(name)] === 1;
    const keep =
      (1 - r[idx('structuring_score')]) *
      (1 - r[idx('velocity_score')]) *
      (flag('is_new_address') ? 0.6 : 1) *
      (flag('is_dormant_reactivated') ? 0.6 : 1) *
      (flag('is_mixer_like') ? 0.5 : 1);
    r[idx('behavioral_anomaly_score')] = roundTo(behavioral[i], 4);
    r[idx('graph_anomaly_score')] = roundTo(graph, 4);
    r[idx('neighborhood_anomaly_score')] = count > 0 ? roundTo(near / count, 4) : Number.NaN;
    r[idx('global_anomaly_score')] = roundTo((behavioral[i] + graph) / 2, 4);
    r[idx('suspicious_pattern_score')] = roundTo(1 - keep, 4);
    r[idx('outlier_score')] = roundTo(
      1 - Math.exp(-Math.max(zs[0](inputs[0][i]), zMax(Math.log1p(r[idx('max_tx_usd')]))) / 3),
      4,
    );
  });
}

function structurallyMissing(needs: Needs, r: Float64Array): boolean {
  const n = r[COLUMN_INDEX.get('tx_total_count')!];
  switch (needs) {
    case 'none':
      return false;
    case 'in':
      return r[COLUMN_INDEX.get('tx_in_count')!] === 0;
    case 'out':
      return r[COLUMN_INDEX.get('tx_out_count')!] === 0;
    case 'two_tx':
      return n < 2;
    case 'three_tx':
      return n < 3;
    case 'graph':
      return r[COLUMN_INDEX.get('unique_counterparties')!] < 2;
    case 'variance':
      return n < 3 || !(r[COLUMN_INDEX.get('amount_variance')!] > 0);
  }
}

export interface FeatureInputs {
  world: World;
  ledger: Ledger;
  metrics: GraphMetrics;
  actors: number[];
  addresses: string[];
  style: ForeignStyle;
  rng: Rng;
}

export function buildFeatureTable(input: FeatureInputs): FeatureTable {
  const { world, ledger, metrics, actors, addresses, style, rng } = input;
  const volume = new Float64Array(ledger.actorCount);
  for (let t = 0; t < ledger.txCount; t++) {
    volume[ledger.from[t]] += ledger.usd[t];
    volume[ledger.to[t]] += ledger.usd[t];
  }
  const ctx: DescribeContext = { world, ledger, metrics, volume, stamp: new Int32Array(ledger.actorCount) };
  const rows = actors.map((a, i) => {
    const out = new Float64Array(UPSTREAM_COLUMNS.length);
    describeActor(ctx, a, i + 1, out);
    return out;
  });
  scoreAnomalies(rows, actors, ledger, ledger.actorCount);
  const quality = COLUMN_INDEX.get('quality_score')!;
  rows.forEach((r) => {
    r[quality] = roundTo(
      Math.min(1, 0.45 + 0.12 * Math.log2(1 + r[COLUMN_INDEX.get('tx_total_count')!])) * rng.between(0.9, 1),
      3,
    );
  });

  const chosen = chooseColumns(style, rng.fork('columns'));
  const gapRng = rng.fork('gaps');
  const rates = chosen.map((col) =>
    !canGoMissing(col.name)
      ? 0
      : isCoreColumn(col.name)
        ? style.missingRate * 0.15
        : Math.min(0.3, style.missingRate * gapRng.between(0.25, 1.6)),
  );
  const blackout = rows.map(() => gapRng.chance(BLACKOUT_ROW_SHARE));
  const columns = new Map<string, Float64Array>();
  for (const col of chosen) columns.set(col.name, new Float64Array(rows.length));
  const completeness = columns.get('completeness_score');
  rows.forEach((r, i) => {
    // Thin wallets are what enrichment jobs most often skip.
    const thin = r[COLUMN_INDEX.get('tx_total_count')!] <= 2 ? 1.5 : 1;
    let present = 0;
    chosen.forEach((col, k) => {
      let value = r[COLUMN_INDEX.get(col.name)!];
      if (structurallyMissing(col.needs, r)) value = Number.NaN;
      else if (blackout[i] && canGoMissing(col.name) && !isCoreColumn(col.name)) value = Number.NaN;
      else if (gapRng.chance(rates[k] * thin)) value = Number.NaN;
      columns.get(col.name)![i] = value;
      if (!Number.isNaN(value)) present++;
    });
    if (completeness !== undefined) completeness[i] = roundTo(present / chosen.length, 4);
  });
  return { address: addresses, columns };
}
