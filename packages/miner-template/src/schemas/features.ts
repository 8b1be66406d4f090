/**
 * One row of the `features` table: an address and its numeric behaviour columns (SPEC §1).
 * About a hundred columns upstream; unknown numeric columns are kept, unknown non-numeric ones are
 * dropped, booleans become 0/1 and missing values NaN (never 0).
 */
import { z } from 'zod';

/** The core columns every producer should fill, in their canonical order. */
export const CORE_FEATURE_COLUMNS = [
  'degree_in',
  'degree_out',
  'degree_total',
  'unique_counterparties',
  'total_in_usd',
  'total_out_usd',
  'net_flow_usd',
  'total_volume_usd',
  'avg_tx_in_usd',
  'avg_tx_out_usd',
  'max_tx_usd',
  'tx_in_count',
  'tx_out_count',
  'tx_total_count',
  'activity_days',
  'activity_span_days',
  'avg_daily_volume_usd',
  'regularity_score',
  'burst_factor',
  'reciprocity_ratio',
  'flow_concentration',
  'velocity_score',
  'structuring_score',
  'hourly_entropy',
  'night_transaction_ratio',
  'small_transaction_ratio',
  'pagerank',
  'betweenness',
  'closeness',
  'clustering_coefficient',
  'kcore',
  'khop1_count',
  'khop2_count',
  'khop1_volume_usd',
  'behavioral_anomaly_score',
  'graph_anomaly_score',
  'is_exchange_like',
  'is_mixer_like',
  'is_contract_like',
  'is_new_address',
  'is_dormant_reactivated',
] as const;

export type CoreFeatureColumn = (typeof CORE_FEATURE_COLUMNS)[number];

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Coerces one feature cell. Returns NaN for a missing value, undefined for a value that is not
 * numeric at all (the column is then ignored for that row, as SPEC §1 asks of non-numeric columns).
 */
export function coerceFeatureValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
  if (v === null || v === undefined) return Number.NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return Number.NaN;
    if (DECIMAL.test(s)) return Number(s);
    const lower = s.toLowerCase();
    if (lower === 'true') return 1;
    if (lower === 'false') return 0;
    if (lower === 'nan' || lower === 'null') return Number.NaN;
  }
  return undefined;
}

/** A feature row after coercion: `address` plus numeric columns only. */
export type FeatureRow = { address: string } & Record<string, number | string>;

export const FeatureRowSchema = z
  .looseObject({ address: z.string().min(1, 'address is required') })
  .transform((row): FeatureRow => {
    const out: Record<string, number | string> = { address: row.address };
    for (const key in row) {
      if (key === 'address') continue;
      const value = coerceFeatureValue((row as Record<string, unknown>)[key]);
      if (value !== undefined) out[key] = value;
    }
    return out as FeatureRow;
  });

export type FeatureRowInput = z.input<typeof FeatureRowSchema>;
