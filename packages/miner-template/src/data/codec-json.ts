/**
 * JSON table codec: a file is an array of row objects. NaN and absent values are written as null
 * (or left out); reading goes through the same row parsing as the columnar formats. Features are
 * written in chunks straight from the columns, so no per-row object is built on the way out.
 */
import { amlError, ERRORS } from '../errors.js';
import type { FeatureTable } from './batch.js';
import { featureTableFromRawRows } from './feature-columns.js';
import { parseRows, type RowTableName } from './table-columns.js';

const ROWS_PER_CHUNK = 2000;

export function encodeRowsJson(rows: readonly object[]): Uint8Array {
  return Buffer.from(JSON.stringify(rows), 'utf8');
}

function numberJson(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  return Object.is(v, -0) ? '-0' : String(v);
}

export function encodeFeaturesJson(table: FeatureTable): Uint8Array {
  const entries = [...table.columns];
  const keys = entries.map(([name]) => `,${JSON.stringify(name)}:`);
  const chunks: Buffer[] = [Buffer.from('[')];
  const n = table.address.length;
  for (let start = 0; start < n; start += ROWS_PER_CHUNK) {
    const end = Math.min(n, start + ROWS_PER_CHUNK);
    let text = '';
    for (let i = start; i < end; i++) {
      text += i === 0 ? '{"address":' : ',{"address":';
      text += JSON.stringify(table.address[i]);
      for (let c = 0; c < entries.length; c++) text += keys[c] + numberJson(entries[c][1][i]);
      text += '}';
    }
    chunks.push(Buffer.from(text, 'utf8'));
  }
  chunks.push(Buffer.from(']'));
  return Buffer.concat(chunks);
}

function parseJsonArray(bytes: Uint8Array, file: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_IO_FORMAT, [file, (err as Error).message], undefined, err);
  }
  if (!Array.isArray(parsed)) {
    throw amlError(ERRORS.AML_ERR_IO_FORMAT, [file, 'expected a JSON array of row objects']);
  }
  return parsed;
}

export function decodeRowsJson<T>(table: RowTableName, bytes: Uint8Array, file: string): T[] {
  const raw = parseJsonArray(bytes, file);
  for (let i = 0; i < raw.length; i++) {
    const row = raw[i];
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw amlError(ERRORS.AML_ERR_IO_FORMAT, [file, `row ${i} is not an object`]);
    }
  }
  return parseRows<T>(table, raw as Record<string, unknown>[], file);
}

export function decodeFeaturesJson(bytes: Uint8Array, file: string): FeatureTable {
  return featureTableFromRawRows(parseJsonArray(bytes, file), file);
}
