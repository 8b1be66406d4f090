/**
 * Builds a FeatureTable straight from stored columns or parsed JSON rows, with the same coercion as
 * FeatureRowSchema (numbers kept, booleans 0/1, decimal strings parsed, null and non-finite NaN, a
 * column with no numeric cell at all dropped) but without one zod parse or object per row.
 */
import { coerceFeatureValue, FeatureRowSchema } from '../schemas/features.js';
import type { FeatureTable } from './batch.js';
import { withCanonicalColumnOrder } from './feature-table.js';
import { schemaError } from './parse-request.js';

/** Non-finite numbers become NaN in place (the schema reads Infinity as missing). */
export function sanitizeInPlace(values: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) values[i] = Number.NaN;
  return values;
}

/**
 * Coerces a column of arbitrary cells. Returns undefined when no cell is numeric-like (the column
 * is then not a feature, as docs/data-contracts.md says of non-numeric columns).
 */
export function coerceColumn(length: number, cell: (i: number) => unknown): Float64Array | undefined {
  const out = new Float64Array(length);
  let numeric = false;
  for (let i = 0; i < length; i++) {
    const v = coerceFeatureValue(cell(i));
    if (v === undefined) out[i] = Number.NaN;
    else {
      out[i] = v;
      numeric = true;
    }
  }
  return numeric ? out : undefined;
}

/** Checks a stored address column: every cell a non-empty string. */
export function checkAddresses(addresses: readonly unknown[], file: string): string[] {
  for (let i = 0; i < addresses.length; i++) {
    const a = addresses[i];
    if (typeof a !== 'string' || a === '') {
      const parsed = FeatureRowSchema.safeParse({ address: a ?? undefined });
      if (!parsed.success) throw schemaError(file, parsed.error, [i]);
    }
  }
  return addresses as string[];
}

/** Row objects (as JSON.parse gives them) to columns; order: canonical over first-seen. */
export function featureTableFromRawRows(raw: readonly unknown[], file: string): FeatureTable {
  const n = raw.length;
  const address = new Array<string>(n);
  const columns = new Map<string, Float64Array>();
  for (let i = 0; i < n; i++) {
    const row = raw[i];
    if (
      typeof row !== 'object' ||
      row === null ||
      Array.isArray(row) ||
      typeof (row as { address?: unknown }).address !== 'string' ||
      (row as { address: string }).address === ''
    ) {
      const parsed = FeatureRowSchema.safeParse(row);
      if (!parsed.success) throw schemaError(file, parsed.error, [i]);
    }
    const obj = row as Record<string, unknown>;
    address[i] = obj.address as string;
    for (const key in obj) {
      if (key === 'address') continue;
      const v = coerceFeatureValue(obj[key]);
      if (v === undefined) continue;
      let values = columns.get(key);
      if (values === undefined) {
        values = new Float64Array(n).fill(Number.NaN);
        columns.set(key, values);
      }
      values[i] = v;
    }
  }
  return withCanonicalColumnOrder({ address, columns });
}
