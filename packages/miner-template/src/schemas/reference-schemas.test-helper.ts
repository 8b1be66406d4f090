/**
 * A frozen copy of the SOT wire schemas as they were before the fast path (schemas/fast-rows.ts)
 * was added, for equivalence tests only: the fast path and parseBatchRequest must give what these
 * give, value for value and error path for error path. Not exported from the package; do not
 * import it from library code. If the contract changes on purpose, update this copy with it.
 */
import { z } from 'zod';

// ---- primitives.ts

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number, or a decimal string; parsed as float64. Rejects "", "abc", Infinity. */
const decimal = z
  .union([z.number(), z.string().trim().regex(DECIMAL, 'expected a decimal number or decimal string')])
  .transform((v) => (typeof v === 'number' ? v : Number(v)))
  .refine((v) => Number.isFinite(v), 'expected a finite number');

/** Like `decimal`, but null / undefined become NaN: a missing value is never silently 0. */
const optionalDecimal = z
  .union([decimal, z.null(), z.literal('')])
  .optional()
  .transform((v) => (typeof v === 'number' ? v : Number.NaN));

/** A probability-like score in [0, 1]; missing becomes NaN. */
const optionalUnitInterval = optionalDecimal.refine(
  (v) => Number.isNaN(v) || (v >= 0 && v <= 1),
  'expected a number in [0, 1]',
);

/** An integer (number or integer string); missing becomes NaN. */
const optionalInteger = optionalDecimal.refine(
  (v) => Number.isNaN(v) || Number.isInteger(v),
  'expected an integer',
);

const TRUE_STRINGS = new Set(['true', '1', 'yes']);
const FALSE_STRINGS = new Set(['false', '0', 'no']);

/** true/false, 0/1, or their string forms. */
const booleanLike = z.union([z.boolean(), z.literal(0), z.literal(1), z.string()]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  const s = v.trim().toLowerCase();
  if (TRUE_STRINGS.has(s)) return true;
  if (FALSE_STRINGS.has(s)) return false;
  ctx.addIssue({ code: 'custom', message: `expected a boolean (true/false or 0/1), got "${v}"` });
  return z.NEVER;
});

/** An optional free-text field: null becomes undefined so downstream code has one "absent". */
const optionalText = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v === null ? undefined : v));

/** A list of strings, also accepted as a JSON-encoded string (as Parquet/CSV exports store it). */
const stringList = z
  .union([z.array(z.string()), z.string(), z.null()])
  .optional()
  .transform((v, ctx): string[] => {
    if (v === null || v === undefined || v === '') return [];
    if (Array.isArray(v)) return v;
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      // fall through to the issue below
    }
    ctx.addIssue({
      code: 'custom',
      message: 'expected an array of strings or a JSON-encoded array of strings',
    });
    return z.NEVER;
  });

/** YYYY-MM-DD, checked to be a real calendar date. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'expected a real calendar date');

/** Unix time in milliseconds; missing becomes NaN. */
const optionalUnixMs = optionalDecimal.refine((v) => Number.isNaN(v) || v >= 0, 'expected unix ms >= 0');

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** Severity, case-insensitive on the wire. */
const severity = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(SEVERITIES));

// ---- alert.ts

export const ReferenceAlertSchema = z.object({
  alert_id: z.string(),
  address: z.string().min(1, 'address is required'),
  processing_date: isoDate.optional(),
  window_days: optionalInteger.optional(),
  typology_type: optionalText.transform((v) => v ?? 'unknown'),
  pattern_id: optionalText,
  pattern_type: optionalText,
  severity: z
    .union([severity, z.null()])
    .optional()
    .transform((v) => v ?? 'medium'),
  suspected_address_type: optionalText.transform((v) => v ?? 'unknown'),
  suspected_address_subtype: optionalText,
  alert_confidence_score: optionalUnitInterval,
  description: optionalText,
  volume_usd: optionalDecimal,
  evidence_json: z
    .union([z.string(), z.record(z.string(), z.unknown()), z.null()])
    .optional()
    .transform((v) =>
      v === null || v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v),
    ),
  risk_indicators: stringList,
});

// ---- cluster.ts

export const ReferenceClusterSchema = z.object({
  cluster_id: z.string(),
  cluster_type: optionalText,
  primary_address: optionalText,
  pattern_id: optionalText,
  primary_alert_id: optionalText,
  related_alert_ids: stringList,
  addresses_involved: stringList,
  total_alerts: optionalInteger,
  total_volume_usd: optionalDecimal,
  severity_max: z
    .union([severity, z.null()])
    .optional()
    .transform((v) => v ?? undefined),
  confidence_avg: optionalUnitInterval,
  earliest_alert_timestamp: optionalUnixMs,
  latest_alert_timestamp: optionalUnixMs,
});

// ---- money-flow.ts

export const ReferenceMoneyFlowSchema = z.object({
  from_address: z.string().min(1, 'from_address is required'),
  to_address: z.string().min(1, 'to_address is required'),
  tx_count: optionalInteger,
  amount_usd_sum: optionalDecimal,
  first_seen_timestamp: optionalUnixMs,
  last_seen_timestamp: optionalUnixMs,
  active_days: optionalInteger,
  avg_tx_size_usd: optionalDecimal,
  unique_assets: optionalInteger,
  dominant_asset: optionalText,
  reciprocity_ratio: optionalUnitInterval,
  is_bidirectional: z
    .union([booleanLike, z.null()])
    .optional()
    .transform((v) => v ?? false),
});

// ---- features.ts

const FEATURE_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Coerces one feature cell. Returns NaN for a missing value, undefined for a value that is not
 * numeric at all (the column is then ignored for that row, as SPEC §1 asks of non-numeric columns).
 */
function coerceFeatureValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
  if (v === null || v === undefined) return Number.NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return Number.NaN;
    if (FEATURE_DECIMAL.test(s)) return Number(s);
    const lower = s.toLowerCase();
    if (lower === 'true') return 1;
    if (lower === 'false') return 0;
    if (lower === 'nan' || lower === 'null') return Number.NaN;
  }
  return undefined;
}

/** A feature row after coercion: `address` plus numeric columns only. */
type FeatureRow = { address: string } & Record<string, number | string>;

export const ReferenceFeatureRowSchema = z
  .looseObject({ address: z.string().min(1, 'address is required') })
  .transform((row): FeatureRow => {
    const out: Record<string, number | string> = { address: row.address };
    for (const key in row) {
      if (key === 'address') continue;
      const value = coerceFeatureValue((row as Record<string, unknown>)[key]);
      if (value !== undefined) out[key] = value;
    }
    return out as FeatureRow;
  });

// ---- batch.ts

export const ReferenceBatchRequestSchema = z.object({
  alerts: z.array(ReferenceAlertSchema),
  features: z.array(ReferenceFeatureRowSchema).default([]),
  clusters: z.array(ReferenceClusterSchema).default([]),
  money_flows: z
    .array(z.lazy(() => ReferenceMoneyFlowSchema))
    .nullish()
    .transform((v) => v ?? []),
});
