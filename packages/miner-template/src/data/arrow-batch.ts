/**
 * A batch request's tables as Arrow: the container of arrow-container.ts (or one IPC stream per
 * table however they arrived, e.g. multipart parts) decoded with the one codec (codec-arrow.ts).
 * Row tables decode to plain rows that the caller validates with the same zod schemas as JSON;
 * `features` decodes columnar straight into a FeatureTable. The encoder here takes rows of any
 * shape (tests, benchmarks, clients that hold JSON); a parsed Batch is encoded by the container
 * module with the typed column layout.
 */
import { makeVector, Table, tableToIPC, type Vector } from 'apache-arrow';
import { amlError, ERRORS, isAmlError } from '../errors.js';
import { boolVector, float64Vector, utf8ListVector, utf8Vector } from './arrow-columns.js';
import {
  CONTAINER_TABLES,
  type ContainerTable,
  splitArrowFrames,
  writeArrowFrames,
} from './arrow-container.js';
import type { FeatureTable } from './batch.js';
import {
  ArrowRowColumns,
  type ArrowSource,
  arrowFeatureTable,
  arrowRowColumns,
  readArrowTable,
} from './codec-arrow.js';

type Row = Readonly<Record<string, unknown>>;

/** What encodeBatchArrow takes: wire rows or parsed rows; features as rows or columnar. */
export interface ArrowBatchInput {
  alerts: readonly Row[];
  features?: FeatureTable | readonly Row[];
  clusters?: readonly Row[];
  money_flows?: readonly Row[] | null;
}

/**
 * What decodeBatchArrow returns: row tables as their columns, rows still to be built and validated
 * one at a time, features already columnar.
 */
export interface DecodedArrowBatch {
  alerts: ArrowRowColumns;
  features: FeatureTable;
  clusters: ArrowRowColumns;
  money_flows: ArrowRowColumns;
}

/** A column every table has, used to give a table with no rows a schema. */
const KEY_COLUMN: Record<ContainerTable, string> = {
  alerts: 'alert_id',
  features: 'address',
  clusters: 'cluster_id',
  money_flows: 'from_address',
};

function isFeatureTable(value: unknown): value is FeatureTable {
  return typeof value === 'object' && value !== null && (value as FeatureTable).columns instanceof Map;
}

// ---------------------------------------------------------------- encode

/** The narrowest column writer that holds every value of a column without loss. */
function columnWriter(values: readonly unknown[]): (values: readonly unknown[]) => Vector {
  const seen = new Set<string>();
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') seen.add(typeof v);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) seen.add('list');
    else seen.add('other');
  }
  const only = seen.size === 1 ? [...seen][0] : undefined;
  if (only === 'number') return float64Vector;
  if (only === 'boolean') return boolVector;
  if (only === 'list') return utf8ListVector;
  return (cells) => utf8Vector(cells.map(toText));
}

function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isNaN(v) ? null : String(v);
  return JSON.stringify(v);
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
    vectors[name] = columnWriter(values)(values);
  }
  return new Table(vectors);
}

function featureTableToArrow(table: FeatureTable): Table {
  const vectors: Record<string, Vector> = { address: utf8Vector(table.address) };
  for (const [name, values] of table.columns) {
    if (name !== 'address') vectors[name] = makeVector(Float64Array.from(values));
  }
  return new Table(vectors);
}

/** Encodes a batch in the container framing. Deterministic: same input, same bytes. */
export function encodeBatchArrow(batch: ArrowBatchInput): Uint8Array {
  const payloads: [ContainerTable, Uint8Array][] = [];
  for (const name of CONTAINER_TABLES) {
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

/** The source for a table of a request body: unreadable bytes are AML_ERR_API_ARROW_FORMAT (400). */
export function requestSource(table: ContainerTable): ArrowSource {
  return { what: table, format: (reason) => amlError(ERRORS.AML_ERR_API_ARROW_FORMAT, [reason]) };
}

/** Decodes the container. Malformed bytes are an AML_ERR_API_ARROW_FORMAT (400), never a crash. */
export function decodeBatchArrow(bytes: Uint8Array): DecodedArrowBatch {
  return decodeArrowTables(() => splitArrowFrames(bytes));
}

/**
 * Decodes one IPC stream per table however they arrived (the container, multipart parts).
 * `alerts` is required; corrupt IPC bytes are a format error (400), never a crash.
 */
export function decodeArrowTables(frames: () => Map<ContainerTable, Uint8Array>): DecodedArrowBatch {
  try {
    const tables = frames();
    if (!tables.has('alerts')) throw requestSource('alerts').format('the alerts table is missing');
    const rowsOf = (name: ContainerTable) => {
      const frame = tables.get(name);
      return frame === undefined
        ? new ArrowRowColumns([], [], 0)
        : (decodeContainerTable(name, frame) as ArrowRowColumns);
    };
    const featureFrame = tables.get('features');
    const features: FeatureTable =
      featureFrame === undefined
        ? { address: [], columns: new Map() }
        : (decodeContainerTable('features', featureFrame) as FeatureTable);
    return {
      alerts: rowsOf('alerts'),
      features,
      clusters: rowsOf('clusters'),
      money_flows: rowsOf('money_flows'),
    };
  } catch (err) {
    if (isAmlError(err)) throw err;
    // corrupt IPC bytes surface as whatever the Arrow reader trips on: report them as a format error
    throw requestSource('alerts').format(err instanceof Error ? err.message : String(err));
  }
}

/** One table's IPC stream: features into columns, a row table into its columns. */
export function decodeContainerTable(
  name: ContainerTable,
  frame: Uint8Array,
): ArrowRowColumns | FeatureTable {
  const source = requestSource(name);
  const table = readArrowTable(frame, source);
  return name === 'features' ? arrowFeatureTable(table, source) : arrowRowColumns(table);
}
