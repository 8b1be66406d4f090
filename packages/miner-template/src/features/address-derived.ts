/**
 * Derived-address family: scale-free views of the alert's address row that every producer can
 * feed, because they need only the core columns (and the two activity timestamps for age).
 * Ratios instead of raw USD, ages relative to the batch's window instead of absolute times, and
 * percentile ranks among the batch's alerts, so a producer with another amount level, rounding or
 * unit gives the same picture. A ratio whose inputs are missing (or whose denominator is 0) is NaN.
 */
import type { Batch, FeatureTable } from '../data/batch.js';
import { percentileRanks } from './stats.js';
import type { FeatureMatrix } from './types.js';

const DAY_MS = 86_400_000;

export const DERIVED_RATIO_COLUMNS: readonly string[] = [
  'derived_pass_through',
  'derived_log_in_out_ratio',
  'derived_log_degree_ratio',
  'derived_log_avg_in_out_ratio',
  'derived_tx_per_counterparty',
  'derived_log_avg_tx_usd',
  'derived_max_tx_share',
  'derived_age_days',
  'derived_days_since_last_activity',
];

/** The feature-table columns each derived column reads (the coverage report uses it). */
export const DERIVED_SOURCES: Readonly<Record<string, readonly string[]>> = {
  derived_pass_through: ['total_in_usd', 'total_out_usd'],
  derived_log_in_out_ratio: ['total_in_usd', 'total_out_usd'],
  derived_log_degree_ratio: ['degree_in', 'degree_out'],
  derived_log_avg_in_out_ratio: ['avg_tx_in_usd', 'avg_tx_out_usd'],
  derived_tx_per_counterparty: ['tx_total_count', 'unique_counterparties'],
  derived_log_avg_tx_usd: ['total_volume_usd', 'tx_total_count'],
  derived_max_tx_share: ['max_tx_usd', 'total_volume_usd'],
  derived_age_days: ['first_activity_timestamp'],
  derived_days_since_last_activity: ['last_activity_timestamp'],
};

/** Core columns ranked among the batch's alerts (`rank_addr_<c>`). */
export const RANKED_COLUMNS: readonly string[] = [
  'total_volume_usd',
  'max_tx_usd',
  'avg_tx_in_usd',
  'avg_tx_out_usd',
  'degree_total',
  'tx_total_count',
  'pagerank',
  'behavioral_anomaly_score',
  'graph_anomaly_score',
];
export const RANK_PREFIX = 'rank_addr_';

export const ADDRESS_DERIVED_COLUMNS: readonly string[] = [
  ...DERIVED_RATIO_COLUMNS,
  ...RANKED_COLUMNS.map((c) => RANK_PREFIX + c),
];

/** x / y, NaN when y is 0 or either is missing. */
const ratio = (x: number, y: number) => (y !== 0 ? x / y : Number.NaN);
const logRatio = (x: number, y: number) => Math.log((x + 1) / (y + 1));

/** End of the batch's processing date (UTC), the reference time for ages. */
export function windowEndMs(batch: Batch): number {
  return Date.parse(`${batch.key.processing_date}T00:00:00Z`) + DAY_MS;
}

/** The address's value of column `name` for each alert row (NaN: no row or no such column). */
function alertColumn(features: FeatureTable, featureRowOf: Int32Array, name: string): Float64Array {
  const out = new Float64Array(featureRowOf.length).fill(Number.NaN);
  const source = features.columns.get(name);
  if (source === undefined) return out;
  for (let r = 0; r < featureRowOf.length; r++) if (featureRowOf[r]! >= 0) out[r] = source[featureRowOf[r]!]!;
  return out;
}

/** Fills ADDRESS_DERIVED_COLUMNS, starting at column `offset`. */
export function writeAddressDerived(
  batch: Batch,
  featureRowOf: Int32Array,
  matrix: FeatureMatrix,
  offset: number,
): void {
  const col = (name: string) => alertColumn(batch.features, featureRowOf, name);
  const inUsd = col('total_in_usd');
  const outUsd = col('total_out_usd');
  const degIn = col('degree_in');
  const degOut = col('degree_out');
  const avgIn = col('avg_tx_in_usd');
  const avgOut = col('avg_tx_out_usd');
  const txTotal = col('tx_total_count');
  const unique = col('unique_counterparties');
  const volume = col('total_volume_usd');
  const maxTx = col('max_tx_usd');
  const first = col('first_activity_timestamp');
  const last = col('last_activity_timestamp');
  const end = windowEndMs(batch);
  const ranks = RANKED_COLUMNS.map((name) => percentileRanks(col(name)));
  const stride = matrix.names.length;
  const v = matrix.values;
  for (let r = 0; r < featureRowOf.length; r++) {
    const base = r * stride + offset;
    v[base] = ratio(Math.min(inUsd[r]!, outUsd[r]!), Math.max(inUsd[r]!, outUsd[r]!));
    v[base + 1] = logRatio(inUsd[r]!, outUsd[r]!);
    v[base + 2] = logRatio(degIn[r]!, degOut[r]!);
    v[base + 3] = logRatio(avgIn[r]!, avgOut[r]!);
    v[base + 4] = ratio(txTotal[r]!, Math.max(1, unique[r]!));
    v[base + 5] = Math.log1p(ratio(volume[r]!, txTotal[r]!));
    v[base + 6] = ratio(maxTx[r]!, volume[r]!);
    v[base + 7] = (end - first[r]!) / DAY_MS;
    v[base + 8] = (end - last[r]!) / DAY_MS;
    for (let k = 0; k < ranks.length; k++) v[base + DERIVED_RATIO_COLUMNS.length + k] = ranks[k]![r]!;
  }
}
