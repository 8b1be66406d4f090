/**
 * Address-behaviour family: the alert's address row from the batch's features table, one
 * `addr_<column>` per column of a fixed list (the upstream table's numeric columns, docs/data-contracts.md, then
 * the caller's extras). The list never depends on the batch: a column the batch lacks, or an
 * address without a features row, is NaN.
 */
import type { FeatureTable } from '../data/batch.js';
import { CORE_FEATURE_COLUMNS } from '../schemas/features.js';
import { UPSTREAM_NUMERIC_COLUMNS } from '../schemas/upstream-features.js';
import type { FeatureMatrix } from './types.js';

export const ADDRESS_PREFIX = 'addr_';

/**
 * Upstream columns that are not behaviour: an arbitrary community label and absolute times (the
 * derived family turns the times into ages). A model reading them would learn one batch's ids.
 */
const NOT_MODEL_INPUT: ReadonlySet<string> = new Set([
  'community_id',
  'first_activity_timestamp',
  'last_activity_timestamp',
]);

/** The upstream columns the address family reads by default, in the upstream table's order. */
export const ADDRESS_UPSTREAM_COLUMNS: readonly string[] = UPSTREAM_NUMERIC_COLUMNS.filter(
  (c) => !NOT_MODEL_INPUT.has(c),
);

/** The feature-table columns the address family reads, in column order (duplicates removed). */
export function addressSourceColumns(extraFeatureColumns: readonly string[] = []): string[] {
  const seen = new Set<string>([...ADDRESS_UPSTREAM_COLUMNS, ...NOT_MODEL_INPUT]);
  const out: string[] = [...ADDRESS_UPSTREAM_COLUMNS];
  for (const name of extraFeatureColumns) {
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(name);
  }
  return out;
}

/** Column names of the family: `has_address_features`, then `addr_<source column>`. */
export function addressFeatureColumns(extraFeatureColumns: readonly string[] = []): string[] {
  return [
    'has_address_features',
    ...addressSourceColumns(extraFeatureColumns).map((c) => ADDRESS_PREFIX + c),
  ];
}

/**
 * The batch's feature columns the upstream table does not define, in the table's order. Pass the
 * ones you trust as `extraFeatureColumns` at training and serving time (the shipped models use
 * none: a column only one producer sends is a column the model must not need).
 */
export function listExtraFeatureColumns(features: FeatureTable): string[] {
  const known = new Set<string>([...UPSTREAM_NUMERIC_COLUMNS, ...CORE_FEATURE_COLUMNS]);
  return [...features.columns.keys()].filter((name) => !known.has(name));
}

/** address → row of the features table (the first row wins if an address repeats). */
export function indexFeatureRows(features: FeatureTable): Map<string, number> {
  const rows = new Map<string, number>();
  for (let i = 0; i < features.address.length; i++) {
    const address = features.address[i]!;
    if (!rows.has(address)) rows.set(address, i);
  }
  return rows;
}

/**
 * Fills the family for rows whose feature-table row is `featureRowOf[r]` (−1: no row), starting
 * at column `offset`.
 */
export function writeAddressFeatures(
  features: FeatureTable,
  featureRowOf: Int32Array,
  sourceColumns: readonly string[],
  matrix: FeatureMatrix,
  offset: number,
): void {
  const stride = matrix.names.length;
  const values = matrix.values;
  for (let r = 0; r < featureRowOf.length; r++) values[r * stride + offset] = featureRowOf[r]! >= 0 ? 1 : 0;
  for (let k = 0; k < sourceColumns.length; k++) {
    const source = features.columns.get(sourceColumns[k]!);
    if (source === undefined) continue; // the matrix is NaN-initialised
    const c = offset + 1 + k;
    for (let r = 0; r < featureRowOf.length; r++) {
      const row = featureRowOf[r]!;
      if (row >= 0) values[r * stride + c] = source[row]!;
    }
  }
}
