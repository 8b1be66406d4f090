/**
 * Arrow IPC table codec (file or stream framing; reading accepts both). Row tables are typed per
 * column (Utf8, Float64 with nulls for missing, Bool, List<Utf8>) and read back through the zod
 * schemas. Features are Float64 columns written as-is (NaN stays NaN) and read column by column into
 * Float64Arrays; foreign files with other numeric, boolean or string columns are coerced like rows.
 */
import { DataType, makeVector, Precision, Table, tableFromIPC, tableToIPC, Vector } from 'apache-arrow';
import { amlError, ERRORS } from '../errors.js';
import {
  boolVector,
  float64Vector,
  utf8DictionaryVector,
  utf8ListVector,
  utf8Vector,
} from './arrow-columns.js';
import type { FeatureTable } from './batch.js';
import { checkAddresses, coerceColumn, sanitizeInPlace } from './feature-columns.js';
import { canonicalColumnOrder } from './feature-table.js';
import { type ColumnKind, columnValues, parseRows, ROW_TABLES, type RowTableName } from './table-columns.js';

export type ArrowFraming = 'file' | 'stream';

/** Whole-column writers: vectorFromArray's builders cost a visitor call per cell. */
const COLUMN_WRITERS: Record<ColumnKind, (values: readonly unknown[]) => Vector> = {
  string: utf8Vector,
  number: float64Vector,
  bool: boolVector,
  list: utf8ListVector,
};

/**
 * A row table as Arrow IPC. `dictionary`: text columns that repeat are written as dictionaries
 * (utf8DictionaryVector), as the batch container does; files keep plain Utf8.
 */
export function encodeRowsArrow(
  table: RowTableName,
  rows: readonly object[],
  framing: ArrowFraming = 'file',
  options: { dictionary?: boolean } = {},
): Uint8Array {
  const vectors: Record<string, Vector> = {};
  ROW_TABLES[table].columns.forEach((spec, i) => {
    const values = columnValues(rows, spec);
    vectors[spec.name] =
      options.dictionary === true && spec.kind === 'string'
        ? utf8DictionaryVector(values, i)
        : COLUMN_WRITERS[spec.kind](values);
  });
  return tableToIPC(new Table(vectors), framing);
}

export function encodeFeaturesArrow(features: FeatureTable, framing: ArrowFraming = 'file'): Uint8Array {
  const vectors: Record<string, Vector> = { address: utf8Vector(features.address) };
  for (const [name, values] of features.columns) vectors[name] = makeVector(values);
  return tableToIPC(new Table(vectors), framing);
}

function readTable(bytes: Uint8Array, file: string): Table {
  try {
    return tableFromIPC(bytes);
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_IO_FORMAT, [file, (err as Error).message], undefined, err);
  }
}

/** A cell as plain JS: list vectors become string arrays, bigints numbers. */
function plainCell(v: unknown): unknown {
  if (v instanceof Vector) return Array.from(v as Iterable<unknown>, plainCell);
  if (typeof v === 'bigint') return Number(v);
  return v;
}

export function decodeRowsArrow<T>(table: RowTableName, bytes: Uint8Array, file: string): T[] {
  const t = readTable(bytes, file);
  const raw: Record<string, unknown>[] = Array.from({ length: t.numRows }, () => ({}));
  for (const field of t.schema.fields) {
    const column = t.getChild(field.name);
    if (column === null) continue;
    for (let i = 0; i < t.numRows; i++) {
      const v = plainCell(column.get(i));
      if (v !== null && v !== undefined) raw[i][field.name] = v;
    }
  }
  return parseRows<T>(table, raw, file);
}

export function decodeFeaturesArrow(bytes: Uint8Array, file: string): FeatureTable {
  const t = readTable(bytes, file);
  const n = t.numRows;
  const addressColumn = t.getChild('address');
  if (addressColumn === null) {
    throw amlError(ERRORS.AML_ERR_IO_FORMAT, [file, 'features table has no address column']);
  }
  const address = checkAddresses(addressColumn.toArray() as unknown[], file);
  // like the row formats: an empty table has no columns
  if (n === 0) return { address: [], columns: new Map() };
  const columns = new Map<string, Float64Array>();
  for (const field of t.schema.fields) {
    if (field.name === 'address') continue;
    const column = t.getChild(field.name)!;
    let values: Float64Array | undefined;
    // decoded types are plain Float instances, so test the precision, not the class
    if (DataType.isFloat(field.type) && field.type.precision === Precision.DOUBLE && column.nullCount === 0) {
      // copy: a view would keep the whole IPC buffer alive
      values = sanitizeInPlace((column.toArray() as Float64Array).slice());
    } else {
      values = coerceColumn(n, (i) => plainCell(column.get(i)));
    }
    if (values !== undefined) columns.set(field.name, values);
  }
  const ordered = new Map<string, Float64Array>();
  for (const name of canonicalColumnOrder(columns.keys())) ordered.set(name, columns.get(name)!);
  return { address: Array.from(address), columns: ordered };
}
