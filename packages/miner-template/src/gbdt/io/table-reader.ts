/**
 * Numeric tables for the GBDT command line (train and predict): a CSV with a header row or a
 * Parquet file read into one Float64Array per column, NaN for a missing cell (empty, nan, NA,
 * null). Then picks a model's feature columns, in the model's order, into a row-major matrix. A
 * non-numeric cell is an error only if its column is used. File I/O stays in readTableFile.
 */
import { readFile } from 'node:fs/promises';
import type { AsyncBuffer, ColumnData } from 'hyparquet';
import { parquetMetadataAsync, parquetRead } from 'hyparquet';
import { amlError, ERRORS } from '../../errors.js';

export interface NumericTable {
  columnNames: string[];
  /** One array per column, numRows long; NaN marks a missing cell. */
  columns: Float64Array[];
  numRows: number;
  /** Columns holding a cell that is not a number: name -> "row R: "text"" of the first one. */
  nonNumeric: Map<string, string>;
}

const MISSING = new Set(['', 'nan', 'NaN', 'NAN', 'na', 'NA', 'N/A', 'null', 'NULL', 'None']);

/** A cell's numeric value: NaN when missing, undefined when not a number. */
export function parseCell(cell: string): number | undefined {
  const s = cell.trim();
  if (MISSING.has(s)) return Number.NaN;
  if (s === 'true' || s === 'True' || s === 'TRUE') return 1;
  if (s === 'false' || s === 'False' || s === 'FALSE') return 0;
  if (s === 'inf' || s === '+inf' || s === 'Infinity') return Number.POSITIVE_INFINITY;
  if (s === '-inf' || s === '-Infinity') return Number.NEGATIVE_INFINITY;
  const v = Number(s);
  return Number.isNaN(v) ? undefined : v;
}

/** Splits CSV text into records of fields (RFC 4180 quoting, CRLF or LF line ends). */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === '"' && field === '') {
      i++;
      while (i < n) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          field += text[i];
          i++;
        }
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      fields.push(field);
      field = '';
      if (!(fields.length === 1 && fields[0] === '')) records.push(fields);
      fields = [];
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push(fields);
  }
  return records;
}

export function parseCsvTable(text: string, source = 'csv'): NumericTable {
  const records = csvRecords(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const header = records[0];
  if (header === undefined) throw amlError(ERRORS.AML_ERR_IO_FORMAT, [source, 'no header row']);
  const columnNames = header.map((h) => h.trim());
  const numRows = records.length - 1;
  const columns = columnNames.map(() => new Float64Array(numRows));
  const nonNumeric = new Map<string, string>();
  for (let r = 0; r < numRows; r++) {
    const rec = records[r + 1] as string[];
    if (rec.length !== columnNames.length) {
      throw amlError(ERRORS.AML_ERR_IO_FORMAT, [
        source,
        `row ${r + 2}: expected ${columnNames.length} fields, got ${rec.length}`,
      ]);
    }
    for (let c = 0; c < rec.length; c++) {
      const v = parseCell(rec[c] as string);
      if (v === undefined) {
        const name = columnNames[c] as string;
        if (!nonNumeric.has(name)) nonNumeric.set(name, `row ${r + 2}: "${rec[c]}"`);
        (columns[c] as Float64Array)[r] = Number.NaN;
      } else {
        (columns[c] as Float64Array)[r] = v;
      }
    }
  }
  return { columnNames, columns, numRows, nonNumeric };
}

function bytesAsAsyncBuffer(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.byteLength,
    slice: (start: number, end?: number) =>
      bytes.buffer.slice(
        bytes.byteOffset + start,
        bytes.byteOffset + (end ?? bytes.byteLength),
      ) as ArrayBuffer,
  };
}

function cellToNumber(cell: unknown): number | undefined {
  if (cell === null || cell === undefined) return Number.NaN;
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'bigint') return Number(cell);
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (typeof cell === 'string') return parseCell(cell);
  return undefined;
}

export async function parseParquetTable(bytes: Uint8Array, source = 'parquet'): Promise<NumericTable> {
  const file = bytesAsAsyncBuffer(bytes);
  try {
    const metadata = await parquetMetadataAsync(file);
    const numRows = Number(metadata.num_rows);
    const columnNames = metadata.schema.slice(1).map((e) => e.name);
    const columns = columnNames.map(() => new Float64Array(numRows).fill(Number.NaN));
    const index = new Map(columnNames.map((name, i) => [name, i]));
    const nonNumeric = new Map<string, string>();
    const onChunk = ({ columnName, columnData, rowStart }: ColumnData) => {
      const c = index.get(columnName);
      if (c === undefined) return;
      const target = columns[c] as Float64Array;
      if (
        columnData instanceof Float64Array ||
        columnData instanceof Float32Array ||
        columnData instanceof Int32Array
      ) {
        target.set(columnData, rowStart);
        return;
      }
      for (let i = 0; i < columnData.length; i++) {
        const v = cellToNumber(columnData[i]);
        if (v === undefined) {
          if (!nonNumeric.has(columnName))
            nonNumeric.set(columnName, `row ${rowStart + i + 1}: ${String(columnData[i])}`);
        } else {
          target[rowStart + i] = v;
        }
      }
    };
    await parquetRead({ file, metadata, onChunk });
    return { columnNames, columns, numRows, nonNumeric };
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_IO_FORMAT, [source, (err as Error).message], undefined, err);
  }
}

/** Reads a .csv or .parquet file (chosen by extension) into a NumericTable. */
export async function readTableFile(path: string): Promise<NumericTable> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [path], undefined, err);
  }
  if (/\.parquet$/i.test(path)) return parseParquetTable(bytes, path);
  return parseCsvTable(bytes.toString('utf8'), path);
}

/** One numeric column by name; an error if absent or holding text. */
export function tableColumn(table: NumericTable, name: string): Float64Array {
  const c = table.columnNames.indexOf(name);
  if (c < 0) throw amlError(ERRORS.AML_ERR_GBDT_DATA, [`no column "${name}"`]);
  const bad = table.nonNumeric.get(name);
  if (bad !== undefined)
    throw amlError(ERRORS.AML_ERR_GBDT_DATA, [`column "${name}" is not numeric (${bad})`]);
  return table.columns[c] as Float64Array;
}

export interface FeatureMatrixOptions {
  /** Columns that are never features (label, group, weight). */
  skipColumns?: readonly string[];
  /**
   * Model features the table may lack (LightGBM's unused features, feature_infos "none"): filled
   * with NaN instead of failing.
   */
  optionalFeatures?: ReadonlySet<string>;
}

/** Row-major matrix of `featureNames` (in that order) taken from the table by column name. */
export function toFeatureMatrix(
  table: NumericTable,
  featureNames: readonly string[],
  options: FeatureMatrixOptions = {},
): Float64Array {
  const skip = new Set(options.skipColumns ?? []);
  const width = featureNames.length;
  const out = new Float64Array(table.numRows * width);
  const missing: string[] = [];
  featureNames.forEach((name, j) => {
    const c = skip.has(name) ? -1 : table.columnNames.indexOf(name);
    if (c < 0) {
      if (options.optionalFeatures?.has(name)) {
        for (let r = 0; r < table.numRows; r++) out[r * width + j] = Number.NaN;
        return;
      }
      missing.push(name);
      return;
    }
    const col = tableColumn(table, name);
    for (let r = 0; r < table.numRows; r++) out[r * width + j] = col[r] as number;
  });
  if (missing.length > 0) {
    throw amlError(ERRORS.AML_ERR_MODEL_FEATURE_MISMATCH, [
      'gbdt',
      `data lacks features ${missing.join(', ')}`,
    ]);
  }
  return out;
}
