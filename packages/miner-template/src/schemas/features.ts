/**
 * One row of the `features` table: an address and its numeric behaviour columns (docs/data-contracts.md).
 * About a hundred columns upstream; unknown numeric columns are kept, unknown non-numeric ones are
 * dropped, booleans become 0/1 and missing values NaN (never 0).
 */
import { z } from 'zod';
import { UPSTREAM_CORE_COLUMNS, type UpstreamFeatureColumn } from './upstream-features.js';

/**
 * The core columns every producer should fill, in the upstream table's order; derived from the upstream
 * table's schema (upstream-features.ts), which is where a column is declared core.
 */
export const CORE_FEATURE_COLUMNS: readonly UpstreamFeatureColumn[] = UPSTREAM_CORE_COLUMNS;

export type CoreFeatureColumn = UpstreamFeatureColumn;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Coerces one feature cell. Returns NaN for a missing value, undefined for a value that is not
 * numeric at all (the column is then ignored for that row, as docs/data-contracts.md asks of non-numeric columns).
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
