/**
 * Numeric tables for the GBDT command line (train and predict): a CSV with a header row or a
 * Parquet file read into one Float64Array per column, NaN for a missing cell (empty, nan, NA,
 * null). Then picks a model's feature columns, in the model's order, into a row-major matrix. A
 * non-numeric cell is an error only if its column is used. File I/O stays in readTableFile.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AsyncBuffer, ColumnData } from 'hyparquet';
import { amlError, ERRORS, isAmlError } from '../../errors.js';
import { CsvColumnsBuilder } from './csv-columns.js';

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
  // fast path: a cell starting like a number is parsed as one (Number() skips the spaces trim would)
  const c0 = cell.charCodeAt(0);
  if ((c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 46 || c0 === 43) {
    const v = Number(cell);
    if (!Number.isNaN(v)) return v;
  }
  const s = cell.trim();
  if (MISSING.has(s)) return Number.NaN;
  if (s === 'true' || s === 'True' || s === 'TRUE') return 1;
  if (s === 'false' || s === 'False' || s === 'FALSE') return 0;
  if (s === 'inf' || s === '+inf' || s === 'Infinity') return Number.POSITIVE_INFINITY;
  if (s === '-inf' || s === '-Infinity') return Number.NEGATIVE_INFINITY;
  const v = Number(s);
  return Number.isNaN(v) ? undefined : v;
}

/** Parses a whole CSV text (the streaming parser fed at once). */
export function parseCsvTable(text: string, source = 'csv'): NumericTable {
  const builder = new CsvColumnsBuilder(parseCell, source);
  builder.push(text);
  return builder.finish();
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
  // hyparquet loads only when a Parquet file is read, not for every CSV
  const { parquetMetadataAsync, parquetRead } = await import('hyparquet');
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

/**
 * Reads a .csv or .parquet file (chosen by extension) into a NumericTable. A CSV is streamed in
 * 1 MiB pieces straight into typed columns, never held whole as text.
 */
export async function readTableFile(path: string): Promise<NumericTable> {
  if (/\.parquet$/i.test(path)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [path], undefined, err);
    }
    return parseParquetTable(bytes, path);
  }
  const builder = new CsvColumnsBuilder(parseCell, path);
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      builder.push(chunk as string);
    }
  } catch (err) {
    if (isAmlError(err)) throw err;
    throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [path], undefined, err);
  }
  return builder.finish();
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
