/**
 * The one Arrow codec: every Arrow table the project reads or writes (batch folders on disk, the
 * `batch_arrow` container, multipart parts) goes through these functions, so a fault reads the
 * same whichever way the bytes came. Row tables are typed per column (Utf8, Float64 with nulls for
 * missing, Bool, List<Utf8>) and read back through the zod schemas by the caller; features are
 * Float64 columns read column by column into Float64Arrays (null, NaN and ±Infinity all mean
 * missing, as in FeatureRowSchema); foreign tables with other numeric, boolean or text columns are
 * coerced like JSON rows. The HTTP framing (content types, multipart) lives in api/.
 */
import { DataType, makeVector, Table, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';
import { amlError, ERRORS } from '../errors.js';
import {
  boolVector,
  float64Vector,
  readColumn,
  readFloatColumn,
  utf8DictionaryVector,
  utf8ListVector,
  utf8Vector,
} from './arrow-columns.js';
import { checkArrowIpc } from './arrow-ipc-check.js';
import type { FeatureTable } from './batch.js';
import { coerceColumn, sanitizeInPlace } from './feature-columns.js';
import { canonicalColumnOrder } from './feature-table.js';
import { type ColumnKind, columnValues, parseRows, ROW_TABLES, type RowTableName } from './table-columns.js';

export type ArrowFraming = 'file' | 'stream';

// ---------------------------------------------------------------- write

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

// ---------------------------------------------------------------- read

/**
 * Where a table came from, for its errors: `what` names it in messages (a file name, or the table
 * name in a request), `format` builds the error for bytes that are not a readable table (a file is
 * an AML_ERR_IO_FORMAT, a request body an AML_ERR_API_ARROW_FORMAT; the reason is the same).
 */
export interface ArrowSource {
  what: string;
  format(reason: string): Error;
}

/** The source for a stored file: unreadable bytes are AML_ERR_IO_FORMAT naming the file. */
export function fileSource(file: string): ArrowSource {
  return { what: file, format: (reason) => amlError(ERRORS.AML_ERR_IO_FORMAT, [file, reason]) };
}

/** One IPC table (file or stream framing) from bytes; anything unreadable is `source.format`. */
export function readArrowTable(bytes: Uint8Array, source: ArrowSource): Table {
  let table: Table;
  // apache-arrow trusts the metadata: checked first, so a corrupted offset is a format error
  // rather than an allocation that grows until the heap is full (arrow-ipc-check.ts)
  checkArrowIpc(bytes, (reason) => {
    throw source.format(`IPC metadata: ${reason}`);
  });
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw source.format(err instanceof Error ? err.message : String(err));
  }
  // every table has a string key column (>= 4 offset bytes a row), so a row count beyond the byte
  // count is a corrupt header; refusing it early avoids allocating for rows that cannot exist
  if (table.numRows > bytes.length) {
    throw source.format(`table ${source.what} declares ${table.numRows} rows in ${bytes.length} bytes`);
  }
  return table;
}

/**
 * A row table's columns, each read once; its rows are built one at a time (`row`) or all at once
 * (`rows`), cells as a JSON client would send them (arrow-columns.ts plainCell); an absent cell
 * (null, NaN) reads like an absent JSON key, so the schema's defaults apply. One row at a time lets
 * a request's rows be validated without first holding all of them as plain objects (385,000 money
 * flows at 50,000 alerts: docs/api.md, "Memory").
 */
export class ArrowRowColumns {
  constructor(
    readonly names: readonly string[],
    /** A column's cells; a numeric column as float64 (NaN where missing), unboxed. */
    private readonly cells: readonly (readonly unknown[] | Float64Array)[],
    readonly length: number,
  ) {}

  row(i: number): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < this.names.length; c++) {
      const column = this.cells[c];
      const value = column[i];
      if (column instanceof Float64Array ? !Number.isNaN(value) : value !== null) row[this.names[c]] = value;
    }
    return row;
  }

  rows(): Record<string, unknown>[] {
    return Array.from({ length: this.length }, (_, i) => this.row(i));
  }

  /**
   * A column's cells by name; undefined when absent, null when several columns have the name (a
   * row then takes, cell by cell, the last that is not missing: no one column is the row's).
   */
  column(name: string): readonly unknown[] | Float64Array | undefined | null {
    const at = this.names.indexOf(name);
    if (at === -1) return undefined;
    return this.names.lastIndexOf(name) === at ? this.cells[at] : null;
  }
}

export function arrowRowColumns(table: Table): ArrowRowColumns {
  const names: string[] = [];
  const cells: (unknown[] | Float64Array)[] = [];
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name);
    if (column === null) continue;
    names.push(field.name);
    // numbers stay unboxed until a row is built (3 million cells for 385,000 money flows)
    cells.push(readFloatColumn(column) ?? readColumn(column));
  }
  return new ArrowRowColumns(names, cells, table.numRows);
}

/** A row table as plain rows (ArrowRowColumns.rows). */
export function arrowRows(table: Table): Record<string, unknown>[] {
  return arrowRowColumns(table).rows();
}

function addressError(what: string, issues: { path: string; code: string; message: string }[]): Error {
  const shown = issues
    .slice(0, 3)
    .map((b) => `${b.path}: ${b.message}`)
    .join('; ');
  return amlError(ERRORS.AML_ERR_SCHEMA_INVALID, [what, shown], { issues });
}

/** The address column, every cell a non-empty string; else AML_ERR_SCHEMA_INVALID naming the rows. */
function readAddresses(table: Table, source: ArrowSource): string[] {
  const column = table.getChild('address');
  if (column === null) {
    const path = `${source.what}.address`;
    throw addressError(source.what, [{ path, code: 'invalid_type', message: 'the column is missing' }]);
  }
  const cells = readColumn(column);
  const bad: { path: string; code: string; message: string }[] = [];
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (typeof v !== 'string' || v === '') {
      bad.push({
        path: `${source.what}[${i}].address`,
        code: 'invalid_type',
        message: 'address is required',
      });
    }
  }
  if (bad.length > 0) throw addressError(source.what, bad);
  return cells as string[];
}

/** One feature column as float64: numbers as is, booleans 0/1, text coerced as JSON cells are. */
function featureColumn(column: Vector, n: number): Float64Array | undefined {
  const floats = readFloatColumn(column);
  if (floats !== undefined) return sanitizeInPlace(floats);
  const { type } = column;
  if (DataType.isFloat(type) || DataType.isInt(type) || DataType.isDecimal(type) || DataType.isBool(type)) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = column.get(i);
      out[i] = v === null || v === undefined ? Number.NaN : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
    }
    return sanitizeInPlace(out);
  }
  // a column with no numeric cell at all is not a feature: dropped, as in JSON
  const cells = readColumn(column);
  return coerceColumn(n, (i) => cells[i]);
}

/** A features table: the address column checked, the others as float64 in canonical order. */
export function arrowFeatureTable(table: Table, source: ArrowSource): FeatureTable {
  const n = table.numRows;
  const address = readAddresses(table, source);
  // like the row formats: an empty table has no columns
  if (n === 0) return { address: [], columns: new Map() };
  const read = new Map<string, Float64Array>();
  for (const field of table.schema.fields) {
    if (field.name === 'address') continue;
    const values = featureColumn(table.getChild(field.name)!, n);
    if (values !== undefined) read.set(field.name, values);
  }
  const columns = new Map<string, Float64Array>();
  for (const name of canonicalColumnOrder(read.keys())) columns.set(name, read.get(name)!);
  return { address, columns };
}

export function decodeRowsArrow<T>(table: RowTableName, bytes: Uint8Array, file: string): T[] {
  return parseRows<T>(table, arrowRows(readArrowTable(bytes, fileSource(file))), file);
}

export function decodeFeaturesArrow(bytes: Uint8Array, file: string): FeatureTable {
  const source = fileSource(file);
  return arrowFeatureTable(readArrowTable(bytes, source), source);
}
