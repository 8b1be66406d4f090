/**
 * The layout of one simulated address's feature row: every numeric column of the upstream table
 * (docs/data-contracts.md, in its order; these are what the batch's features table carries), then internal
 * columns the detector rules and alert evidence read (hour/weekday shares, amount quantiles,
 * hold times, counterparty mix). Internal columns are never emitted: no real export has them, so a
 * model must not learn to need them. `COL` maps a name to its index in a feature row.
 */
import { UPSTREAM_NUMERIC_COLUMNS } from '../schemas/upstream-features.js';

const HOUR_COLUMNS = Array.from({ length: 24 }, (_, h) => `hour_share_${String(h).padStart(2, '0')}`);
const WEEKDAY_COLUMNS = Array.from({ length: 7 }, (_, d) => `weekday_share_${d}`);

export const INTERNAL_COLUMNS = [
  ...HOUR_COLUMNS,
  ...WEEKDAY_COLUMNS,
  'amount_min_usd',
  'amount_p10_usd',
  'amount_p25_usd',
  'amount_p50_usd',
  'amount_p75_usd',
  'amount_p90_usd',
  'amount_std_usd',
  'amount_cv',
  'in_amount_p50_usd',
  'out_amount_p50_usd',
  'max_in_tx_usd',
  'max_out_tx_usd',
  'round_amount_ratio',
  'near_threshold_count',
  'weekend_ratio',
  'denominated_amount_ratio',
  'first_seen_offset_days',
  'last_seen_offset_days',
  'address_age_days',
  'in_out_ratio',
  'pass_through_ratio',
  'mean_hold_hours',
  'max_txs_per_hour',
  'max_txs_per_day',
  'unique_assets',
  'dominant_asset_share',
  'stablecoin_ratio',
  'in_counterparty_concentration',
  'out_counterparty_concentration',
  'exchange_volume_ratio',
  'mixer_volume_usd',
  'bridge_volume_ratio',
  'contract_volume_ratio',
  'bidirectional_counterparties',
  'new_counterparty_ratio',
  'tx_interval_mean_hours',
  'tx_interval_std_hours',
  'log_total_volume_usd',
  'degree_ratio',
] as const;

/** The columns the features table carries: the upstream table's numeric columns, nothing else. */
export const OUTPUT_COLUMNS: readonly string[] = UPSTREAM_NUMERIC_COLUMNS;

export const FEATURE_COLUMNS: readonly string[] = [...OUTPUT_COLUMNS, ...INTERNAL_COLUMNS];

export const COL: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(FEATURE_COLUMNS.map((name, i) => [name, i])),
);

/** Columns the detector rules read, kept for every simulated address (the rest only for output rows). */
export const DETECTOR_COLUMNS = [
  'degree_in',
  'degree_out',
  'unique_counterparties',
  'total_in_usd',
  'total_out_usd',
  'total_volume_usd',
  'avg_tx_in_usd',
  'tx_in_count',
  'tx_out_count',
  'tx_total_count',
  'burst_factor',
  'reciprocity_ratio',
  'velocity_score',
  'structuring_score',
  'small_transaction_ratio',
  'is_exchange_like',
  'is_new_address',
  'near_threshold_count',
  'pass_through_ratio',
  'mean_hold_hours',
  'max_txs_per_hour',
  'max_txs_per_day',
  'mixer_volume_usd',
  'out_counterparty_concentration',
  'in_counterparty_concentration',
  'exchange_volume_ratio',
  'bidirectional_counterparties',
] as const;
export type DetectorColumn = (typeof DETECTOR_COLUMNS)[number];
