/**
 * The Arrow encoding of a batch request (content-type application/vnd.apache.arrow.stream): the
 * container of data/arrow-container.ts (framing documented there and in docs/api.md). Row tables
 * decode to plain row objects that the server validates with the same zod schemas as JSON;
 * `features` decodes columnar straight into a FeatureTable (Float64Array per column, null and NaN
 * both meaning missing). The encoder here takes wire rows of any shape (tests, benchmarks, clients
 * that hold JSON); a parsed Batch is encoded by the container module with the typed table codec.
 */
import {
  Table as ArrowTable,
  Bool,
  DataType,
  Field,
  Float64,
  List,
  makeVector,
  type Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import { readColumn, readFloatColumn } from '../data/arrow-columns.js';
import {
  CONTAINER_TABLES,
  type ContainerTable,
  splitArrowFrames,
  writeArrowFrames,
} from '../data/arrow-container.js';
import type { FeatureTable } from '../data/batch.js';
import { amlError, ERRORS, isAmlError } from '../errors.js';
import { coerceFeatureValue } from '../schemas/features.js';

export const ARROW_CONTENT_TYPE = 'application/vnd.apache.arrow.stream';
export { ARROW_FORMAT_VERSION, ARROW_MAGIC } from '../data/arrow-container.js';

const TABLES = CONTAINER_TABLES;
type ArrowTableName = ContainerTable;

type Row = Readonly<Record<string, unknown>>;

/** What encodeBatchArrow takes: wire rows or parsed rows; features as rows or columnar. */
export interface ArrowBatchInput {
  alerts: readonly Row[];
  features?: FeatureTable | readonly Row[];
  clusters?: readonly Row[];
  money_flows?: readonly Row[] | null;
}

/** What decodeBatchArrow returns: row tables still to be validated, features already columnar. */
export interface DecodedArrowBatch {
  alerts: Record<string, unknown>[];
  features: FeatureTable;
  clusters: Record<string, unknown>[];
  money_flows: Record<string, unknown>[];
}

/** A column every table has, used to give a table with no rows a schema. */
const KEY_COLUMN: Record<ArrowTableName, string> = {
  alerts: 'alert_id',
  features: 'address',
  clusters: 'cluster_id',
  money_flows: 'from_address',
};

function isFeatureTable(value: unknown): value is FeatureTable {
  return typeof value === 'object' && value !== null && (value as FeatureTable).columns instanceof Map;
}

// ---------------------------------------------------------------- encode

type ColumnKind = 'float' | 'bool' | 'utf8' | 'list';

/** The narrowest Arrow type that holds every value of a column without loss. */
function columnKind(values: readonly unknown[]): ColumnKind {
  let numbers = 0;
  let bools = 0;
  let strings = 0;
  let lists = 0;
  let others = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') numbers++;
    else if (typeof v === 'boolean') bools++;
    else if (typeof v === 'string') strings++;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) lists++;
    else others++;
  }
  const kinds = [numbers, bools, strings, lists, others].filter((c) => c > 0).length;
  if (kinds === 1 && numbers > 0) return 'float';
  if (kinds === 1 && bools > 0) return 'bool';
  if (kinds === 1 && lists > 0) return 'list';
  return 'utf8';
}

function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isNaN(v) ? null : String(v);
  return JSON.stringify(v);
}

function encodeColumn(values: unknown[], kind: ColumnKind): Vector {
  switch (kind) {
    case 'float':
      // NaN is "missing" in our rows: write it as an Arrow null so every reader sees a gap
      return vectorFromArray(
        values.map((v) => (typeof v === 'number' && !Number.isNaN(v) ? v : null)),
        new Float64(),
      );
    case 'bool':
      return vectorFromArray(
        values.map((v) => (typeof v === 'boolean' ? v : null)),
        new Bool(),
      );
    case 'list':
      return vectorFromArray(
        values.map((v) => (Array.isArray(v) ? v : null)),
        new List(new Field('item', new Utf8(), true)),
      );
    case 'utf8':
      return vectorFromArray(values.map(toText), new Utf8());
  }
}

function rowsToArrow(rows: readonly Row[], keyColumn: string): Table {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key in row) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  if (names.length === 0) names.push(keyColumn);
  const vectors: Record<string, Vector> = {};
  for (const name of names) {
    const values = rows.map((row) => row[name]);
    vectors[name] = encodeColumn(values, columnKind(values));
  }
  return new ArrowTable(vectors);
}

function featureTableToArrow(table: FeatureTable): Table {
  const vectors: Record<string, Vector> = { address: vectorFromArray(table.address, new Utf8()) };
  for (const [name, values] of table.columns) {
    if (name !== 'address') vectors[name] = makeVector(Float64Array.from(values));
  }
  return new ArrowTable(vectors);
}

/** Encodes a batch in the framing above. Deterministic: same input, same bytes. */
export function encodeBatchArrow(batch: ArrowBatchInput): Uint8Array {
  const payloads: [ArrowTableName, Uint8Array][] = [];
  for (const name of TABLES) {
    const data = batch[name];
    if (name !== 'alerts' && (data === undefined || data === null)) continue;
    const table = isFeatureTable(data)
      ? featureTableToArrow(data)
      : rowsToArrow((data ?? []) as readonly Row[], KEY_COLUMN[name]);
    payloads.push([name, tableToIPC(table, 'stream')]);
  }
  return writeArrowFrames(payloads);
}

// ---------------------------------------------------------------- decode

function formatError(reason: string): Error {
  return amlError(ERRORS.AML_ERR_API_ARROW_FORMAT, [reason]);
}

function readTable(name: string, bytes: Uint8Array): Table {
  const table = tableFromIPC(bytes);
  // every table has a string key column (>= 4 offset bytes a row), so a row count beyond the byte
  // count is a corrupt header; refusing it early avoids allocating for rows that cannot exist
  if (table.numRows > bytes.length) {
    throw formatError(`table ${name} declares ${table.numRows} rows in ${bytes.length} bytes`);
  }
  return table;
}

function arrowToRows(table: Table): Record<string, unknown>[] {
  const n = table.numRows;
  const rows = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i++) rows[i] = {};
  for (const field of table.schema.fields) {
    const values = readColumn(table.getChild(field.name)!);
    for (let i = 0; i < n; i++) {
      // an absent cell reads like an absent JSON key, so defaults apply as they do for JSON
      if (values[i] !== null) rows[i][field.name] = values[i];
    }
  }
  return rows;
}

/** Reads one feature column into float64: numbers as is, booleans 0/1, text coerced as JSON is. */
function featureColumn(column: Vector, type: DataType, n: number): Float64Array | undefined {
  const floats = readFloatColumn(column);
  if (floats !== undefined) return floats;
  const out = new Float64Array(n);
  if (DataType.isFloat(type) || DataType.isInt(type) || DataType.isDecimal(type) || DataType.isBool(type)) {
    for (let i = 0; i < n; i++) {
      const v = column.get(i);
      out[i] = v === null || v === undefined ? Number.NaN : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
    }
    return out;
  }
  const cells = readColumn(column);
  let numeric = 0;
  for (let i = 0; i < n; i++) {
    const value = coerceFeatureValue(cells[i]);
    if (value !== undefined) numeric++;
    out[i] = value ?? Number.NaN;
  }
  // a column with no numeric cell at all is a non-numeric column: ignored, as in JSON (SPEC §1)
  return numeric === 0 && n > 0 ? undefined : out;
}

function arrowToFeatureTable(table: Table): FeatureTable {
  const n = table.numRows;
  const addressColumn = table.getChild('address');
  if (addressColumn === null) {
    throw amlError(ERRORS.AML_ERR_SCHEMA_INVALID, ['features', 'features.address: the column is missing'], {
      issues: [{ path: 'features.address', code: 'invalid_type', message: 'the column is missing' }],
    });
  }
  const address = new Array<string>(n);
  const cells = readColumn(addressColumn);
  const bad: { path: string; code: string; message: string }[] = [];
  for (let i = 0; i < n; i++) {
    const v = cells[i];
    if (typeof v !== 'string' || v === '') {
      bad.push({ path: `features[${i}].address`, code: 'invalid_type', message: 'address is required' });
      address[i] = '';
    } else address[i] = v;
  }
  if (bad.length > 0) {
    const shown = bad
      .slice(0, 3)
      .map((b) => `${b.path}: ${b.message}`)
      .join('; ');
    throw amlError(ERRORS.AML_ERR_SCHEMA_INVALID, ['features', shown], { issues: bad });
  }
  const columns = new Map<string, Float64Array>();
  for (const field of table.schema.fields) {
    if (field.name === 'address') continue;
    const values = featureColumn(table.getChild(field.name)!, field.type, n);
    if (values !== undefined) columns.set(field.name, values);
  }
  return { address, columns };
}

/** Decodes the framing above. Malformed bytes are an AML_ERR_API_ARROW_FORMAT (400), never a crash. */
export function decodeBatchArrow(bytes: Uint8Array): DecodedArrowBatch {
  return decodeArrowTables(() => splitArrowFrames(bytes));
}

/**
 * Decodes one IPC stream per table however they arrived (the container, multipart parts).
 * `alerts` is required; corrupt IPC bytes are a format error (400), never a crash.
 */
export function decodeArrowTables(frames: () => Map<ArrowTableName, Uint8Array>): DecodedArrowBatch {
  try {
    const tables = frames();
    if (!tables.has('alerts')) throw formatError('the alerts table is missing');
    return decodeFrames(tables);
  } catch (err) {
    if (isAmlError(err)) throw err;
    // corrupt IPC bytes surface as whatever the Arrow reader trips on: report them as a format error
    throw formatError(err instanceof Error ? err.message : String(err));
  }
}

function decodeFrames(frames: Map<ArrowTableName, Uint8Array>): DecodedArrowBatch {
  const rowsOf = (name: ArrowTableName) => {
    const frame = frames.get(name);
    return frame === undefined ? [] : arrowToRows(readTable(name, frame));
  };
  const featureFrame = frames.get('features');
  return {
    alerts: rowsOf('alerts'),
    features:
      featureFrame === undefined
        ? { address: [], columns: new Map() }
        : arrowToFeatureTable(readTable('features', featureFrame)),
    clusters: rowsOf('clusters'),
    money_flows: rowsOf('money_flows'),
  };
}
