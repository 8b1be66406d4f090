/**
 * Wire-level coercions shared by every SOT table. Upstream exports mix JSON numbers with decimal
 * strings ("150000.00") and booleans with 0/1, and leave gaps as null; these primitives accept all
 * of those and hand the rest of the code one representation (float64, NaN for missing).
 */
import { z } from 'zod';

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number, or a decimal string; parsed as float64. Rejects "", "abc", Infinity. */
export const decimal = z
  .union([z.number(), z.string().trim().regex(DECIMAL, 'expected a decimal number or decimal string')])
  .transform((v) => (typeof v === 'number' ? v : Number(v)))
  .refine((v) => Number.isFinite(v), 'expected a finite number')
  // The transform hides the accepted input from JSON Schema; say it for OpenAPI and the docs.
  .meta({
    description: 'a number, or a decimal string such as "150000.00"',
    anyOf: [{ type: 'number' }, { type: 'string', pattern: DECIMAL.source }],
  });

/** Like `decimal`, but null / undefined become NaN: a missing value is never silently 0. */
export const optionalDecimal = z
  .union([decimal, z.null(), z.literal('')])
  .optional()
  .transform((v) => (typeof v === 'number' ? v : Number.NaN));

/** A probability-like score in [0, 1]; missing becomes NaN. */
export const optionalUnitInterval = optionalDecimal.refine(
  (v) => Number.isNaN(v) || (v >= 0 && v <= 1),
  'expected a number in [0, 1]',
);

/** An integer (number or integer string); missing becomes NaN. */
export const optionalInteger = optionalDecimal.refine(
  (v) => Number.isNaN(v) || Number.isInteger(v),
  'expected an integer',
);

const TRUE_STRINGS = new Set(['true', '1', 'yes']);
const FALSE_STRINGS = new Set(['false', '0', 'no']);

/** true/false, 0/1, or their string forms. */
export const booleanLike = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v === 1;
    const s = v.trim().toLowerCase();
    if (TRUE_STRINGS.has(s)) return true;
    if (FALSE_STRINGS.has(s)) return false;
    ctx.addIssue({ code: 'custom', message: `expected a boolean (true/false or 0/1), got "${v}"` });
    return z.NEVER;
  });

/** An optional free-text field: null becomes undefined so downstream code has one "absent". */
export const optionalText = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v === null ? undefined : v));

/** A list of strings, also accepted as a JSON-encoded string (as Parquet/CSV exports store it). */
export const stringList = z
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
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'expected a real calendar date');

/** Unix time in milliseconds; missing becomes NaN. */
export const optionalUnixMs = optionalDecimal.refine(
  (v) => Number.isNaN(v) || v >= 0,
  'expected unix ms >= 0',
);

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severity, case-insensitive on the wire. */
export const severity = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(SEVERITIES))
  .meta({
    type: 'string',
    enum: [...SEVERITIES],
    description: 'low | medium | high | critical (any letter case)',
  });

export const RISK_LEVELS = SEVERITIES;
export type RiskLevel = Severity;
