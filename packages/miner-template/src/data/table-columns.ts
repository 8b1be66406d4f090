/**
 * The column layout of each row table on disk (alerts, clusters, money_flows, address_labels): one
 * kind per column so Arrow and Parquet get real types (Utf8, Float64, Bool, List<Utf8>). The zod
 * schemas stay the single source of truth for meaning; this file only says how each field is stored,
 * and a test keeps its names equal to the schemas' keys. Also the shared row <-> cell helpers.
 */
import type { z } from 'zod';
import { AddressLabelSchema } from '../schemas/address-label.js';
import { AlertSchema } from '../schemas/alert.js';
import { ClusterSchema } from '../schemas/cluster.js';
import { fastParseAlert, fastParseCluster, fastParseMoneyFlow } from '../schemas/fast-rows.js';
import { MoneyFlowSchema } from '../schemas/money-flow.js';
import { schemaError } from './parse-request.js';

const FAST_ROW_PARSERS: Partial<Record<RowTableName, (row: unknown) => unknown>> = {
  alerts: fastParseAlert,
  clusters: fastParseCluster,
  money_flows: fastParseMoneyFlow,
};

export type ColumnKind = 'string' | 'number' | 'bool' | 'list';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

export interface RowTableSpec {
  columns: readonly ColumnSpec[];
  schema: z.ZodType;
}

const s = (name: string): ColumnSpec => ({ name, kind: 'string' });
const n = (name: string): ColumnSpec => ({ name, kind: 'number' });
const b = (name: string): ColumnSpec => ({ name, kind: 'bool' });
const l = (name: string): ColumnSpec => ({ name, kind: 'list' });

export const ROW_TABLES = {
  alerts: {
    schema: AlertSchema,
    columns: [
      s('alert_id'),
      s('address'),
      s('processing_date'),
      n('window_days'),
      s('typology_type'),
      s('pattern_id'),
      s('pattern_type'),
      s('severity'),
      s('suspected_address_type'),
      s('suspected_address_subtype'),
      n('alert_confidence_score'),
      s('description'),
      n('volume_usd'),
      s('evidence_json'),
      l('risk_indicators'),
    ],
  },
  clusters: {
    schema: ClusterSchema,
    columns: [
      s('cluster_id'),
      s('cluster_type'),
      s('primary_address'),
      s('pattern_id'),
      s('primary_alert_id'),
      l('related_alert_ids'),
      l('addresses_involved'),
      n('total_alerts'),
      n('total_volume_usd'),
      s('severity_max'),
      n('confidence_avg'),
      n('earliest_alert_timestamp'),
      n('latest_alert_timestamp'),
    ],
  },
  money_flows: {
    schema: MoneyFlowSchema,
    columns: [
      s('from_address'),
      s('to_address'),
      n('tx_count'),
      n('amount_usd_sum'),
      n('first_seen_timestamp'),
      n('last_seen_timestamp'),
      n('active_days'),
      n('avg_tx_size_usd'),
      n('unique_assets'),
      s('dominant_asset'),
      n('reciprocity_ratio'),
      b('is_bidirectional'),
    ],
  },
  address_labels: {
    schema: AddressLabelSchema,
    columns: [s('address'), s('label'), s('risk_level'), n('confidence_score'), s('source')],
  },
} as const satisfies Record<string, RowTableSpec>;

export type RowTableName = keyof typeof ROW_TABLES;

/**
 * A cell as stored: absent values (undefined, NaN) become null, which every format can hold and
 * every schema reads back as "missing".
 */
export function storedCell(kind: ColumnKind, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (kind === 'number') return typeof value === 'number' && Number.isNaN(value) ? null : value;
  return value;
}

/** Pulls one column out of parsed rows, in stored form. */
export function columnValues(rows: readonly object[], spec: ColumnSpec): unknown[] {
  const out = new Array<unknown>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    out[i] = storedCell(spec.kind, (rows[i] as Record<string, unknown>)[spec.name]);
  }
  return out;
}

/**
 * Parses raw rows read from any format through the table's zod schema, so every format yields the
 * same coerced rows. Nulls are dropped first: a null in a columnar file means "absent", and some
 * optional fields (processing_date) accept absence but not null.
 */
export function parseRows<T>(
  table: RowTableName,
  raw: readonly Record<string, unknown>[],
  file: string,
): T[] {
  const schema = ROW_TABLES[table].schema as unknown as z.ZodType<T>;
  // Exactly the schema's result when they accept a row; the schema names the problem otherwise.
  const fast = FAST_ROW_PARSERS[table];
  const out = new Array<T>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const row: Record<string, unknown> = {};
    const src = raw[i];
    for (const key in src) {
      const v = src[key];
      if (v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v))) row[key] = v;
    }
    const quick = fast?.(row) as T | undefined;
    if (quick !== undefined) {
      out[i] = quick;
      continue;
    }
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw schemaError(file, parsed.error, [i]);
    out[i] = parsed.data;
  }
  return out;
}
