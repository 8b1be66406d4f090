/**
 * One entry point per direction for every table in every format (json, arrow, parquet): callers
 * name the table and the format, never a codec module. The file name only labels errors.
 */
import type { TableFormat } from '../schemas/meta.js';
import type { FeatureTable } from './batch.js';
import { decodeFeaturesArrow, decodeRowsArrow, encodeFeaturesArrow, encodeRowsArrow } from './codec-arrow.js';
import { decodeFeaturesJson, decodeRowsJson, encodeFeaturesJson, encodeRowsJson } from './codec-json.js';
import {
  decodeFeaturesParquet,
  decodeRowsParquet,
  encodeFeaturesParquet,
  encodeRowsParquet,
} from './codec-parquet.js';
import type { RowTableName } from './table-columns.js';

/** File extension of each format (Arrow IPC files are `.arrow`). */
export const FORMAT_EXTENSIONS: Record<TableFormat, string> = {
  json: 'json',
  arrow: 'arrow',
  parquet: 'parquet',
};

export function formatFromFileName(file: string): TableFormat | undefined {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'json') return 'json';
  if (ext === 'arrow' || ext === 'ipc' || ext === 'feather') return 'arrow';
  if (ext === 'parquet') return 'parquet';
  return undefined;
}

export function encodeRows(table: RowTableName, rows: readonly object[], format: TableFormat): Uint8Array {
  switch (format) {
    case 'json':
      return encodeRowsJson(rows);
    case 'arrow':
      return encodeRowsArrow(table, rows);
    case 'parquet':
      return encodeRowsParquet(table, rows);
  }
}

export async function decodeRows<T>(
  table: RowTableName,
  bytes: Uint8Array,
  format: TableFormat,
  file: string,
): Promise<T[]> {
  switch (format) {
    case 'json':
      return decodeRowsJson<T>(table, bytes, file);
    case 'arrow':
      return decodeRowsArrow<T>(table, bytes, file);
    case 'parquet':
      return decodeRowsParquet<T>(table, bytes, file);
  }
}

export function encodeFeatures(features: FeatureTable, format: TableFormat): Uint8Array {
  switch (format) {
    case 'json':
      return encodeFeaturesJson(features);
    case 'arrow':
      return encodeFeaturesArrow(features);
    case 'parquet':
      return encodeFeaturesParquet(features);
  }
}

export async function decodeFeatures(
  bytes: Uint8Array,
  format: TableFormat,
  file: string,
): Promise<FeatureTable> {
  switch (format) {
    case 'json':
      return decodeFeaturesJson(bytes, file);
    case 'arrow':
      return decodeFeaturesArrow(bytes, file);
    case 'parquet':
      return decodeFeaturesParquet(bytes, file);
  }
}
