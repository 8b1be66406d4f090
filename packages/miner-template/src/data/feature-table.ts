/**
 * Conversions between feature rows (the wire shape, one object per address) and the columnar
 * FeatureTable the models read. Column order is canonical: the core columns that are present in
 * their CORE_FEATURE_COLUMNS order, then extra columns in first-seen order. A row without a
 * column gets NaN there (missing, never 0).
 */
import { CORE_FEATURE_COLUMNS, type FeatureRow } from '../schemas/features.js';
import type { FeatureTable } from './batch.js';

const CORE_SET: ReadonlySet<string> = new Set(CORE_FEATURE_COLUMNS);

/** Orders column names canonically: present core columns first, then extras as given. */
export function canonicalColumnOrder(names: Iterable<string>): string[] {
  const present = new Set(names);
  const ordered: string[] = CORE_FEATURE_COLUMNS.filter((c) => present.has(c));
  for (const name of present) if (!CORE_SET.has(name)) ordered.push(name);
  return ordered;
}

/** Returns a table whose columns are re-inserted in canonical order (the arrays are shared). */
export function withCanonicalColumnOrder(table: FeatureTable): FeatureTable {
  const columns = new Map<string, Float64Array>();
  for (const name of canonicalColumnOrder(table.columns.keys())) {
    columns.set(name, table.columns.get(name)!);
  }
  return { address: table.address, columns };
}

export function emptyFeatureTable(): FeatureTable {
  return { address: [], columns: new Map() };
}

export function featureRowsToTable(rows: readonly FeatureRow[]): FeatureTable {
  const n = rows.length;
  const address = new Array<string>(n);
  const seen: string[] = [];
  const seenSet = new Set<string>();
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    address[i] = row.address;
    for (const key in row) {
      if (key === 'address' || seenSet.has(key)) continue;
      seenSet.add(key);
      seen.push(key);
    }
  }
  const columns = new Map<string, Float64Array>();
  for (const name of canonicalColumnOrder(seen)) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = rows[i][name];
      values[i] = typeof v === 'number' ? v : Number.NaN;
    }
    columns.set(name, values);
  }
  return { address, columns };
}

/** One object per address with every column (NaN included), keys in the table's column order. */
export function featureTableToRows(table: FeatureTable): FeatureRow[] {
  const n = table.address.length;
  const entries = [...table.columns];
  const rows = new Array<FeatureRow>(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, string | number> = { address: table.address[i] };
    for (const [name, values] of entries) row[name] = values[i];
    rows[i] = row as FeatureRow;
  }
  return rows;
}

/** Number of rows, and the check that every column matches it (returns the offending names). */
export function mismatchedColumns(table: FeatureTable): string[] {
  const n = table.address.length;
  const bad: string[] = [];
  for (const [name, values] of table.columns) if (values.length !== n) bad.push(name);
  return bad;
}
