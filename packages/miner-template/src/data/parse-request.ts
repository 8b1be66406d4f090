/**
 * The wire body to the in-memory batch: a zod parse whose failure becomes AML_ERR_SCHEMA_INVALID
 * (400) naming the first few paths, then the rows-to-columns step for features. Integrity checks
 * that span rows live in integrity.ts; callers run both. Valid bodies take the equivalent fast path
 * of schemas/fast-rows.ts; zod runs on whatever it declines and names the errors. parseBatchBody
 * does both steps at once and coerces plain feature rows straight into columns.
 */
import type { z } from 'zod';
import { amlError, ERRORS } from '../errors.js';
import { type BatchKey, BatchKeySchema, type BatchRequest, BatchRequestSchema } from '../schemas/batch.js';
import { fastParseBatchRequest } from '../schemas/fast-rows.js';
import type { Batch, FeatureTable } from './batch.js';
import { FeatureColumnsBuilder, isPlainObject } from './feature-columns-builder.js';
import { emptyFeatureTable, featureRowsToTable } from './feature-table.js';
import { formatJsonPath } from './integrity.js';

/** How many issues the one-line message names; details carry all of them. */
const ISSUES_IN_MESSAGE = 3;

export interface SchemaIssueDetail {
  path: string;
  code: string;
  message: string;
}

/**
 * Converts a zod error into AML_ERR_SCHEMA_INVALID. `what` names the thing parsed ("batch request",
 * "alerts.parquet"); `pathPrefix` is put before each issue path (a table name when parsing rows).
 */
export function schemaError(what: string, error: z.ZodError, pathPrefix: (string | number)[] = []) {
  const issues: SchemaIssueDetail[] = error.issues.map((issue) => ({
    path: formatJsonPath([...pathPrefix, ...issue.path]),
    code: issue.code,
    message: issue.message,
  }));
  const shown = issues.slice(0, ISSUES_IN_MESSAGE).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > ISSUES_IN_MESSAGE ? ` (and ${issues.length - ISSUES_IN_MESSAGE} more)` : '';
  return amlError(ERRORS.AML_ERR_SCHEMA_INVALID, [what, `${shown.join('; ')}${more}`], { issues });
}

/**
 * BatchRequestSchema's result, same value and same errors; valid bodies take the fast path
 * (bench/schema-parse.bench.ts measures both).
 */
export function parseBatchRequest(body: unknown): BatchRequest {
  const fast = fastParseBatchRequest(body);
  if (fast !== undefined) return fast;
  const parsed = BatchRequestSchema.safeParse(body);
  if (!parsed.success) throw schemaError('batch request', parsed.error);
  return parsed.data;
}

/**
 * A request carries no batch key of its own. Without `key`, the date and window come from the first
 * alert that states them (else 1970-01-01 and 1 day) and the network is "unknown".
 */
export function batchFromRequest(req: BatchRequest, key?: BatchKey): Batch {
  const resolved = key ?? inferKey(req);
  const checked = BatchKeySchema.safeParse(resolved);
  if (!checked.success) throw schemaError('batch key', checked.error);
  return {
    key: checked.data,
    alerts: req.alerts,
    features: featureRowsToTable(req.features),
    clusters: req.clusters,
    money_flows: req.money_flows,
  };
}

/**
 * The wire body straight to a Batch: the same result and the same errors as
 * `batchFromRequest(parseBatchRequest(body), key)`, without a row object per feature row (plain
 * feature rows are coerced straight into their columns, which halves the cost of a 10k body).
 */
export function parseBatchBody(body: unknown, key?: BatchKey): Batch {
  const features = isPlainObject(body) ? featureColumnsFast(body.features) : undefined;
  const req = features && fastParseBatchRequest({ ...(body as object), features: [] });
  if (features === undefined || req === undefined) return batchFromRequest(parseBatchRequest(body), key);
  return { ...batchFromRequest(req, key), features };
}

/**
 * featureRowsToTable(rows parsed by FeatureRowSchema) for plain rows, or undefined for anything
 * else (the caller then takes the row path, and zod names any error).
 */
function featureColumnsFast(rows: unknown): FeatureTable | undefined {
  if (rows === undefined) return emptyFeatureTable(); // the schema's default([])
  if (!Array.isArray(rows)) return undefined;
  const builder = new FeatureColumnsBuilder();
  for (const row of rows) if (!builder.add(row)) return undefined;
  return builder.finish();
}

function inferKey(req: BatchRequest): BatchKey {
  const dated = req.alerts.find((a) => a.processing_date !== undefined);
  const windowed = req.alerts.find((a) => Number.isFinite(a.window_days) && (a.window_days ?? 0) > 0);
  return {
    network: 'unknown',
    processing_date: dated?.processing_date ?? '1970-01-01',
    window_days: windowed?.window_days ?? 1,
  };
}
