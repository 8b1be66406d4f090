/**
 * Numeric tables for the GBDT command line (train and predict): a CSV with a header row or a
 * Parquet file read into one Float64Array per column, NaN for a missing cell (empty, nan, NA,
 * null). Then picks a model's feature columns, in the model's order, into a row-major matrix. A
 * non-numeric cell is an error only if its column is used. File I/O stays in readTableFile.
 */
import { open, stat } from 'node:fs/promises';
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
  builder.pushBytes(Buffer.from(text));
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

type ParquetMetadata = Awaited<ReturnType<typeof import('hyparquet')['parquetMetadataAsync']>>;

/** Rows [rowStart, rowEnd) of a Parquet file into typed columns (hyparquet reads only the row groups they touch). */
async function readParquetRows(
  file: AsyncBuffer,
  metadata: ParquetMetadata,
  rowStart: number,
  rowEnd: number,
): Promise<NumericTable> {
  const { parquetRead } = await import('hyparquet');
  const numRows = rowEnd - rowStart;
  const columnNames = metadata.schema.slice(1).map((e) => e.name);
  const columns = columnNames.map(() => new Float64Array(numRows).fill(Number.NaN));
  const index = new Map(columnNames.map((name, i) => [name, i]));
  const nonNumeric = new Map<string, string>();
  const onChunk = ({ columnName, columnData, rowStart: chunkStart }: ColumnData) => {
    const c = index.get(columnName);
    if (c === undefined) return;
    const target = columns[c] as Float64Array;
    // a chunk may start before rowStart or run past rowEnd: keep its part inside the range
    const from = Math.max(0, rowStart - chunkStart);
    const to = Math.min(columnData.length, rowEnd - chunkStart);
    if (to <= from) return;
    const at = chunkStart + from - rowStart;
    if (
      columnData instanceof Float64Array ||
      columnData instanceof Float32Array ||
      columnData instanceof Int32Array
    ) {
      target.set(columnData.subarray(from, to), at);
      return;
    }
    for (let i = from; i < to; i++) {
      const v = cellToNumber(columnData[i]);
      if (v === undefined) {
        if (!nonNumeric.has(columnName))
          nonNumeric.set(columnName, `row ${chunkStart + i + 1}: ${String(columnData[i])}`);
      } else {
        target[at + i - from] = v;
      }
    }
  };
  await parquetRead({ file, metadata, rowStart, rowEnd, onChunk });
  return { columnNames, columns, numRows, nonNumeric };
}

export async function parseParquetTable(bytes: Uint8Array, source = 'parquet'): Promise<NumericTable> {
  const file = bytesAsAsyncBuffer(bytes);
  // hyparquet loads only when a Parquet file is read, not for every CSV
  const { parquetMetadataAsync } = await import('hyparquet');
  try {
    const metadata = await parquetMetadataAsync(file);
    return await readParquetRows(file, metadata, 0, Number(metadata.num_rows));
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_IO_FORMAT, [source, (err as Error).message], undefined, err);
  }
}

async function* parquetChunks(path: string): AsyncGenerator<NumericTable> {
  const { asyncBufferFromFile, parquetMetadataAsync } = await import('hyparquet');
  let file: AsyncBuffer;
  try {
    file = await asyncBufferFromFile(path);
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [path], undefined, err);
  }
  const formatError = (err: unknown) =>
    isAmlError(err)
      ? err
      : amlError(ERRORS.AML_ERR_IO_FORMAT, [path, (err as Error).message], undefined, err);
  let metadata: ParquetMetadata;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw formatError(err);
  }
  let start = 0;
  // one row group at a time, and at least one (possibly empty) table so the header is checked
  const groups = metadata.row_groups.length > 0 ? metadata.row_groups : [{ num_rows: 0n }];
  for (const group of groups) {
    const end = start + Number(group.num_rows);
    let table: NumericTable;
    try {
      table = await readParquetRows(file, metadata, start, end);
    } catch (err) {
      throw formatError(err);
    }
    yield table;
    start = end;
  }
}

/**
 * A file's bytes in pieces of up to `size`, all read into one reused buffer (each piece is valid
 * until the next is asked for): unlike a read stream's fresh buffers, which live outside the heap
 * until a full collection, this keeps the reader's memory at one buffer.
 */
async function* fileBytes(path: string, size: number): AsyncGenerator<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(size);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, size, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

/** The file's size, or 0 when it cannot be read (the read that follows reports why). */
async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function* csvChunks(path: string, rows: number): AsyncGenerator<NumericTable> {
  const builder = new CsvColumnsBuilder(parseCell, path);
  let yielded = false;
  try {
    for await (const chunk of fileBytes(path, 1 << 18)) {
      builder.pushBytes(chunk);
      if (builder.pendingRows >= rows) {
        yielded = true;
        yield builder.takeRows();
      }
    }
  } catch (err) {
    if (isAmlError(err)) throw err;
    throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [path], undefined, err);
  }
  const rest = builder.finish();
  if (rest.numRows > 0 || !yielded) yield rest;
}

/**
 * A .csv or .parquet file as a sequence of tables of consecutive rows, for work that goes row by
 * row (prediction): a CSV in chunks of about `rows` rows, a Parquet file one row group at a time,
 * so memory is bounded by a chunk, not by the file. Always yields at least one table (an empty
 * one for a file with a header and no rows).
 */
export function readTableChunks(path: string, rows = 8192): AsyncGenerator<NumericTable> {
  return /\.parquet$/i.test(path) ? parquetChunks(path) : csvChunks(path, rows);
}

/**
 * Reads a .csv or .parquet file (chosen by extension) into a NumericTable. A CSV is streamed in
 * 256 KiB pieces straight into typed columns, never held whole as text; a Parquet file is read from
 * disk a row group at a time, never held whole as bytes.
 */
export async function readTableFile(path: string): Promise<NumericTable> {
  if (/\.parquet$/i.test(path)) {
    const groups: NumericTable[] = [];
    for await (const group of parquetChunks(path)) groups.push(group);
    return concatTables(groups);
  }
  const builder = new CsvColumnsBuilder(parseCell, path, await fileSize(path));
  try {
    // 256 KiB pieces: each piece's text is then an ordinary heap string, freed by the next young
    // collection; from about 1 MB Node makes it an external string, held outside the heap until
    // a full collection (12 MB of them for a 12 MB file)
    for await (const chunk of fileBytes(path, 1 << 18)) {
      builder.pushBytes(chunk);
    }
  } catch (err) {
    if (isAmlError(err)) throw err;
    throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [path], undefined, err);
  }
  return builder.finish();
}

/** Tables of the same columns, one after the other (a Parquet file's row groups). */
function concatTables(parts: NumericTable[]): NumericTable {
  const first = parts[0] as NumericTable;
  if (parts.length === 1) return first;
  const numRows = parts.reduce((sum, t) => sum + t.numRows, 0);
  const columns = first.columnNames.map((_, c) => {
    const column = new Float64Array(numRows);
    let at = 0;
    for (const t of parts) {
      column.set(t.columns[c] as Float64Array, at);
      at += t.numRows;
    }
    return column;
  });
  const nonNumeric = new Map<string, string>();
  for (const t of parts)
    for (const [name, where] of t.nonNumeric) if (!nonNumeric.has(name)) nonNumeric.set(name, where);
  return { columnNames: first.columnNames, columns, numRows, nonNumeric };
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
