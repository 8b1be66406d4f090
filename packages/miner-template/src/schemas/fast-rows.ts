/**
 * A fast path for the hot SOT row tables (alerts, clusters, money_flows, features) and the batch
 * body that carries them. Each row parser gives exactly what the zod row schema gives for the rows
 * it accepts, and answers `undefined` ("not sure") for anything else; the caller then asks the zod
 * schema, which stays the authority on meaning and the only source of error messages and paths.
 * So the fast path may decline valid rows (rare wire forms such as an evidence_json object), but
 * must never accept a row zod rejects or return a different value: fast-rows.test.ts checks that
 * against the live schemas with fast-check, and the test of docs/wire-schemas.json fails when a
 * schema changes, the cue to update this file with it. Why it exists: zod 4 tries each union
 * branch of the field coercions with its own issue arrays, about 35 µs per alert, mostly garbage
 * collection.
 */
import type { z } from 'zod';
import { type Alert, AlertSchema } from './alert.js';
import type { BatchRequest } from './batch.js';
import { type Cluster, ClusterSchema } from './cluster.js';
import { coerceFeatureValue, type FeatureRow, FeatureRowSchema } from './features.js';
import { type MoneyFlow, MoneyFlowSchema } from './money-flow.js';
import { SEVERITIES } from './primitives.js';

/** "This field is not one the fast path is sure about": the row goes to zod. */
const NO: unique symbol = Symbol('fast-path-declines');
type Coerce = (v: unknown) => unknown;
type Field = readonly [key: string, coerce: Coerce];

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const SEVERITY_SET: ReadonlySet<string> = new Set(SEVERITIES);
const TRUE_STRINGS: ReadonlySet<string> = new Set(['true', '1', 'yes']);
const FALSE_STRINGS: ReadonlySet<string> = new Set(['false', '0', 'no']);

/** zod's own object test: arrays and null are not objects, anything else typeof "object" is. */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- field coercions, one per primitive of primitives.ts (same order of checks, same results)

function anyString(v: unknown): unknown {
  return typeof v === 'string' ? v : NO;
}

function nonEmptyString(v: unknown): unknown {
  return typeof v === 'string' && v.length > 0 ? v : NO;
}

/** `decimal`: a finite number (z.number() refuses NaN and ±Infinity) or a trimmed decimal string. */
function decimal(v: unknown): number | typeof NO {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NO;
  if (typeof v !== 'string') return NO;
  const s = v.trim();
  if (!DECIMAL.test(s)) return NO;
  const n = Number(s);
  return Number.isFinite(n) ? n : NO;
}

function optionalDecimal(v: unknown): number | typeof NO {
  return v === undefined || v === null || v === '' ? Number.NaN : decimal(v);
}

function optionalUnitInterval(v: unknown): unknown {
  const n = optionalDecimal(v);
  return n === NO || Number.isNaN(n) || (n >= 0 && n <= 1) ? n : NO;
}

function optionalInteger(v: unknown): unknown {
  const n = optionalDecimal(v);
  return n === NO || Number.isNaN(n) || Number.isInteger(n) ? n : NO;
}

function optionalUnixMs(v: unknown): unknown {
  const n = optionalDecimal(v);
  return n === NO || Number.isNaN(n) || n >= 0 ? n : NO;
}

/** `optionalInteger.optional()`: undefined stays undefined (null still becomes NaN). */
function maybeOptionalInteger(v: unknown): unknown {
  return v === undefined ? undefined : optionalInteger(v);
}

function optionalText(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : NO;
}

function textOrUnknown(v: unknown): unknown {
  const t = optionalText(v);
  return t === undefined ? 'unknown' : t;
}

function severityOr(missing: string | undefined): Coerce {
  return (v) => {
    if (v === undefined || v === null) return missing;
    if (typeof v !== 'string') return NO;
    const s = v.trim().toLowerCase();
    return SEVERITY_SET.has(s) ? s : NO;
  };
}

/** `stringList`: a copied array of strings, a JSON-encoded one, or [] for missing. */
function stringList(v: unknown): unknown {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) {
    const out = new Array<string>(v.length);
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (typeof item !== 'string') return NO;
      out[i] = item;
    }
    return out;
  }
  if (typeof v !== 'string') return NO;
  try {
    const parsed: unknown = JSON.parse(v);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
  } catch {
    // not JSON: zod rejects it too
  }
  return NO;
}

/** The last date string found valid: a batch is one day, so nearly every row repeats it. */
let lastValidDate = '';

function isRealDate(s: string): boolean {
  if (s === lastValidDate) return true;
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || !d.toISOString().startsWith(s)) return false;
  lastValidDate = s;
  return true;
}

/** `isoDate.optional()`. */
function optionalIsoDate(v: unknown): unknown {
  if (v === undefined) return undefined;
  return typeof v === 'string' && isRealDate(v) ? v : NO;
}

/** evidence_json: strings pass; an object needs zod's record rules, so it is left to zod. */
function evidenceText(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : NO;
}

/** `booleanLike` or null, missing becomes false. */
function booleanLikeOrFalse(v: unknown): unknown {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 0 || v === 1 ? v === 1 : NO;
  if (typeof v !== 'string') return NO;
  const s = v.trim().toLowerCase();
  if (TRUE_STRINGS.has(s)) return true;
  if (FALSE_STRINGS.has(s)) return false;
  return NO;
}

// ---- row tables: the schemas' keys in their shape order (zod writes output keys in that order)

export const ALERT_FIELDS: readonly Field[] = [
  ['alert_id', anyString],
  ['address', nonEmptyString],
  ['processing_date', optionalIsoDate],
  ['window_days', maybeOptionalInteger],
  ['typology_type', textOrUnknown],
  ['pattern_id', optionalText],
  ['pattern_type', optionalText],
  ['severity', severityOr('medium')],
  ['suspected_address_type', textOrUnknown],
  ['suspected_address_subtype', optionalText],
  ['alert_confidence_score', optionalUnitInterval],
  ['description', optionalText],
  ['volume_usd', optionalDecimal],
  ['evidence_json', evidenceText],
  ['risk_indicators', stringList],
];

export const CLUSTER_FIELDS: readonly Field[] = [
  ['cluster_id', anyString],
  ['cluster_type', optionalText],
  ['primary_address', optionalText],
  ['pattern_id', optionalText],
  ['primary_alert_id', optionalText],
  ['related_alert_ids', stringList],
  ['addresses_involved', stringList],
  ['total_alerts', optionalInteger],
  ['total_volume_usd', optionalDecimal],
  ['severity_max', severityOr(undefined)],
  ['confidence_avg', optionalUnitInterval],
  ['earliest_alert_timestamp', optionalUnixMs],
  ['latest_alert_timestamp', optionalUnixMs],
];

export const MONEY_FLOW_FIELDS: readonly Field[] = [
  ['from_address', nonEmptyString],
  ['to_address', nonEmptyString],
  ['tx_count', optionalInteger],
  ['amount_usd_sum', optionalDecimal],
  ['first_seen_timestamp', optionalUnixMs],
  ['last_seen_timestamp', optionalUnixMs],
  ['active_days', optionalInteger],
  ['avg_tx_size_usd', optionalDecimal],
  ['unique_assets', optionalInteger],
  ['dominant_asset', optionalText],
  ['reciprocity_ratio', optionalUnitInterval],
  ['is_bidirectional', booleanLikeOrFalse],
];

/**
 * One row through a field table. Key presence follows zod's object rule: a field whose value comes
 * out undefined is written only when the key was in the input (so `{}` gives no `pattern_id` key,
 * `{pattern_id: null}` gives `pattern_id: undefined`); unknown keys are dropped.
 */
function parseFields<T>(fields: readonly Field[], row: unknown): T | undefined {
  if (!isObject(row)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, coerce] of fields) {
    const value = coerce(row[key]);
    if (value === NO) return undefined;
    if (value !== undefined || key in row) out[key] = value;
  }
  return out as T;
}

export const fastParseAlert = (row: unknown): Alert | undefined => parseFields<Alert>(ALERT_FIELDS, row);
export const fastParseCluster = (row: unknown): Cluster | undefined =>
  parseFields<Cluster>(CLUSTER_FIELDS, row);
export const fastParseMoneyFlow = (row: unknown): MoneyFlow | undefined =>
  parseFields<MoneyFlow>(MONEY_FLOW_FIELDS, row);

/**
 * FeatureRowSchema: address first, then every other key (in the order zod's loose object walks
 * them) coerced, non-numeric values dropped. Rows as JSON.parse makes them (plain, address first,
 * numeric cells) are copied whole and patched in place, which keeps V8's fast object layout and is
 * about 4x cheaper than adding a hundred keys one by one; other rows are built key by key.
 */
export function fastParseFeatureRow(row: unknown): FeatureRow | undefined {
  if (!isObject(row)) return undefined;
  const address = row.address;
  if (typeof address !== 'string' || address.length === 0) return undefined;
  return patchedCopy(row) ?? builtRow(row, address);
}

/** The copy-and-patch form, or undefined when the row is not of the plain kind it assumes. */
function patchedCopy(row: Record<string, unknown>): FeatureRow | undefined {
  // a spread copies own keys only (zod's for...in also sees inherited ones) and symbol keys too
  if (Object.getPrototypeOf(row) !== Object.prototype) return undefined;
  if (Object.getOwnPropertySymbols(row).length > 0) return undefined;
  const out: Record<string, unknown> = { ...row };
  let first = true;
  for (const key in out) {
    if (first) {
      if (key !== 'address') return undefined; // zod puts address first
      first = false;
      continue;
    }
    if (key === '__proto__') return undefined; // an own "__proto__" key: zod skips it
    const raw = out[key];
    const value = coerceFeatureValue(raw);
    if (value === undefined) return undefined; // a dropped column: needs the built form
    if (value !== raw) out[key] = value;
  }
  return out as FeatureRow;
}

function builtRow(row: Record<string, unknown>, address: string): FeatureRow {
  const out: Record<string, number | string> = { address };
  for (const key in row) {
    // zod never copies a __proto__ key (assigning it would replace the prototype)
    if (key === 'address' || key === '__proto__') continue;
    const value = coerceFeatureValue(row[key]);
    if (value !== undefined) out[key] = value;
  }
  return out as FeatureRow;
}

/**
 * Every row of a table: the fast path, else that row's zod schema. Undefined when `rows` is not an
 * array or some row is invalid, so the caller can run the whole-body schema for its error paths.
 */
export function parseRowsFast<T>(
  rows: unknown,
  fast: (row: unknown) => T | undefined,
  schema: z.ZodType<T>,
): T[] | undefined {
  if (!Array.isArray(rows)) return undefined;
  return parseEachFast(rows.length, (i) => rows[i], fast, schema);
}

/**
 * parseRowsFast over rows made one at a time by `row(i)` (an Arrow table's columns), so the plain
 * rows never exist all at once; undefined as soon as one is invalid.
 */
export function parseEachFast<T>(
  length: number,
  row: (i: number) => unknown,
  fast: (row: unknown) => T | undefined,
  schema: z.ZodType<T>,
): T[] | undefined {
  const out = new Array<T>(length);
  for (let i = 0; i < length; i++) {
    const plain = row(i);
    const quick = fast(plain);
    if (quick !== undefined) {
      out[i] = quick;
      continue;
    }
    const slow = schema.safeParse(plain);
    if (!slow.success) return undefined;
    out[i] = slow.data;
  }
  return out;
}

/**
 * BatchRequestSchema's result for a valid body, or undefined when the body is invalid (or not a
 * plain batch object): the caller then runs BatchRequestSchema itself to name the problems.
 */
export function fastParseBatchRequest(body: unknown): BatchRequest | undefined {
  if (!isObject(body)) return undefined;
  const alerts = parseRowsFast(body.alerts, fastParseAlert, AlertSchema as z.ZodType<Alert>);
  if (alerts === undefined) return undefined;
  const features =
    body.features === undefined
      ? []
      : parseRowsFast(body.features, fastParseFeatureRow, FeatureRowSchema as z.ZodType<FeatureRow>);
  if (features === undefined) return undefined;
  const clusters =
    body.clusters === undefined
      ? []
      : parseRowsFast(body.clusters, fastParseCluster, ClusterSchema as z.ZodType<Cluster>);
  if (clusters === undefined) return undefined;
  const money_flows =
    body.money_flows === undefined || body.money_flows === null
      ? []
      : parseRowsFast(body.money_flows, fastParseMoneyFlow, MoneyFlowSchema as z.ZodType<MoneyFlow>);
  if (money_flows === undefined) return undefined;
  return { alerts, features, clusters, money_flows };
}
