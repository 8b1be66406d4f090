/**
 * Turns a parsed request body (a JSON value, possibly carrying `batch_arrow`, or the Arrow
 * decoder's output wrapped in ArrowBody) into a validated Batch and the request's options: schema
 * (400 naming paths), then integrity (422 naming ids). JSON and Arrow go through the same zod row
 * schemas; only features differ (rows vs. columns).
 */
import { z } from 'zod';
import { type DecodedArrowBatch, decodeBatchArrow } from '../data/arrow-batch.js';
import { batchArrowBytes, inflateBatchArrow, unwrapBatchArrowField } from '../data/arrow-container.js';
import type { ArrowRowColumns } from '../data/codec-arrow.js';
import {
  assertBatchIntegrity,
  type Batch,
  batchFromRequest,
  parseBatchBody,
  schemaError,
} from '../data/index.js';
import { arrowFlowColumns, batchWithFlowColumns } from '../data/money-flow-columns.js';
import { amlError, ERRORS } from '../errors.js';
import type { ScoreOptions } from '../models/model-contract.js';
import { AlertSchema } from '../schemas/alert.js';
import { ClusterSchema } from '../schemas/cluster.js';
import { fastParseAlert, fastParseCluster, fastParseMoneyFlow, parseEachFast } from '../schemas/fast-rows.js';
import { MoneyFlowSchema } from '../schemas/money-flow.js';

/** Marks a body that came from the Arrow parser, so validation knows its features are columnar. */
export class ArrowBody {
  constructor(
    readonly decoded: DecodedArrowBatch,
    readonly options: ScoreOptions = {},
  ) {}
}

const AlertRows = z.array(AlertSchema);
const ClusterRows = z.array(ClusterSchema);
const MoneyFlowRows = z.array(MoneyFlowSchema);

/**
 * An Arrow row table validated row by row: the fast row parsers first (exactly zod's result, or
 * undefined when unsure), zod for errors; no array of plain rows unless a row is invalid.
 */
function parseRows<T>(
  schema: z.ZodType<T[]>,
  row: z.ZodType<T>,
  fast: (row: unknown) => T | undefined,
  table: ArrowRowColumns,
  name: string,
): T[] {
  const quick = parseEachFast(table.length, (i) => table.row(i), fast, row);
  if (quick) return quick;
  const parsed = schema.safeParse(table.rows());
  if (!parsed.success) throw schemaError('batch request', parsed.error, [name]);
  return parsed.data;
}

/**
 * Money flows whose every row passes the row checks stay columns (money-flow-columns.ts): no row
 * object per flow unless something reads `money_flows`; any other table takes the rows path.
 */
function batchFromArrow(decoded: DecodedArrowBatch): Batch {
  const alerts = parseRows(AlertRows, AlertSchema, fastParseAlert, decoded.alerts, 'alerts');
  const clusters = parseRows(ClusterRows, ClusterSchema, fastParseCluster, decoded.clusters, 'clusters');
  const flows = decoded.money_flows;
  const flowRows = () => parseRows(MoneyFlowRows, MoneyFlowSchema, fastParseMoneyFlow, flows, 'money_flows');
  const columns = arrowFlowColumns((name) => flows.column(name), flows.length);
  const base = batchFromRequest({
    alerts,
    features: [],
    clusters,
    money_flows: columns === undefined ? flowRows() : [],
  });
  if (columns === undefined) return { ...base, features: decoded.features };
  return batchWithFlowColumns({ ...base, features: decoded.features }, columns, flowRows);
}

/** A validated request: the batch to score and how to answer. */
export interface ScoringRequest {
  batch: Batch;
  options: ScoreOptions;
}

/** How far `batch_arrow` may inflate, as a multiple of the body limit (a generated batch inflates 2.2× from its base64). */
export const BATCH_ARROW_INFLATE_FACTOR = 8;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasRows(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
}

/** The options beside the tables; a wrong type is a schema error naming the key. */
export function optionsOf(body: unknown): ScoreOptions {
  if (body instanceof ArrowBody) return body.options;
  if (!isObject(body) || body.explain === undefined || body.explain === null) return {};
  if (typeof body.explain !== 'boolean') {
    throw amlError(ERRORS.AML_ERR_SCHEMA_INVALID, ['batch request', 'explain: expected a boolean'], {
      issues: [{ path: 'explain', code: 'invalid_type', message: 'expected a boolean' }],
    });
  }
  return { explain: body.explain };
}

/**
 * A `batch_arrow` body whose decoding is left to the scoring pool: the main thread checked only
 * what is cheap (the field's type, no JSON tables beside it, the options), so neither decoding the
 * batch nor copying it to a worker holds up the event loop (docs/api.md).
 */
export class DeferredArrowBody {
  constructor(
    public field: string,
    readonly options: ScoreOptions,
    readonly maxDecodedBytes: number,
  ) {}

  /** The field, once: the body lets go of it, so the text is garbage once it is base64-decoded. */
  takeField(): string {
    const field = this.field;
    this.field = '';
    return field;
  }
}

/** `batch_arrow` as a non-empty string, with the JSON tables empty; the rest is a 400. */
export function arrowField(body: Record<string, unknown>): string {
  const field = body.batch_arrow;
  if (typeof field !== 'string' || field === '') {
    throw amlError(ERRORS.AML_ERR_API_ARROW_FORMAT, ['batch_arrow must be a non-empty base64 string']);
  }
  const mixed = ['alerts', 'features', 'clusters', 'money_flows'].filter((t) => hasRows(body[t]));
  if (mixed.length > 0) {
    throw amlError(ERRORS.AML_ERR_API_ARROW_FORMAT, [
      `send the tables either in batch_arrow or as JSON, not both (${mixed.join(', ')} not empty)`,
    ]);
  }
  return field;
}

export function hasArrowField(body: unknown): body is Record<string, unknown> {
  return isObject(body) && body.batch_arrow !== undefined && body.batch_arrow !== null;
}

/** The deferred request's batch, decoded and checked exactly as requestFromBody would. */
export function requestFromDeferred(body: DeferredArrowBody): ScoringRequest {
  // one expression, so no frame holds the text while it inflates, the gzip bytes while the tables
  // decode, nor the container (141 MB at 50,000 alerts) while their rows are validated
  const batch = batchFromArrow(
    decodeBatchArrow(inflateBatchArrow(batchArrowBytes(body.takeField()), body.maxDecodedBytes)),
  );
  assertBatchIntegrity(batch);
  return { batch, options: body.options };
}

/** A request whose tables were decoded as they streamed in (streamed-request.ts), checked as any other. */
export function requestFromDecoded(decoded: DecodedArrowBatch, options: ScoreOptions): ScoringRequest {
  const batch = batchFromArrow(decoded);
  assertBatchIntegrity(batch);
  return { batch, options };
}

/**
 * As requestFromBody, except that a `batch_arrow` body comes back as a DeferredArrowBody after the
 * cheap checks; every other body is decoded and validated here.
 */
export function requestOrDeferred(
  body: unknown,
  maxDecodedBytes: number,
): ScoringRequest | DeferredArrowBody {
  if (!hasArrowField(body)) return requestFromBody(body, maxDecodedBytes);
  const options = optionsOf(body);
  return new DeferredArrowBody(arrowField(body), options, maxDecodedBytes);
}

/**
 * Throws AmlError (400 schema or format, 422 integrity); returns the Batch the service scores.
 * `maxDecodedBytes` caps what a `batch_arrow` field may inflate to.
 */
export function requestFromBody(body: unknown, maxDecodedBytes: number): ScoringRequest {
  const options = optionsOf(body);
  let batch: Batch;
  if (body instanceof ArrowBody) batch = batchFromArrow(body.decoded);
  else if (hasArrowField(body))
    batch = batchFromArrow(decodeBatchArrow(unwrapBatchArrowField(arrowField(body), maxDecodedBytes)));
  else batch = parseBatchBody(body);
  assertBatchIntegrity(batch);
  return { batch, options };
}
