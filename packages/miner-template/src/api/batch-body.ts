/**
 * Turns a parsed request body (a JSON value, or the Arrow decoder's output wrapped in ArrowBody)
 * into a validated Batch: schema (400 naming paths), then integrity (422 naming ids). JSON and
 * Arrow go through the same zod row schemas; only features differ (rows vs. columns).
 */
import { z } from 'zod';
import {
  assertBatchIntegrity,
  type Batch,
  batchFromRequest,
  parseBatchBody,
  schemaError,
} from '../data/index.js';
import { AlertSchema } from '../schemas/alert.js';
import { ClusterSchema } from '../schemas/cluster.js';
import { fastParseAlert, fastParseCluster, fastParseMoneyFlow, parseRowsFast } from '../schemas/fast-rows.js';
import { MoneyFlowSchema } from '../schemas/money-flow.js';
import type { DecodedArrowBatch } from './arrow-codec.js';

/** Marks a body that came from the Arrow parser, so validation knows its features are columnar. */
export class ArrowBody {
  constructor(readonly decoded: DecodedArrowBatch) {}
}

const AlertRows = z.array(AlertSchema);
const ClusterRows = z.array(ClusterSchema);
const MoneyFlowRows = z.array(MoneyFlowSchema);

/** The fast row parsers first (exactly zod's result, or undefined when unsure), zod for errors. */
function parseRows<T>(
  schema: z.ZodType<T[]>,
  row: z.ZodType<T>,
  fast: (row: unknown) => T | undefined,
  rows: unknown,
  table: string,
): T[] {
  const quick = parseRowsFast(rows, fast, row);
  if (quick) return quick;
  const parsed = schema.safeParse(rows);
  if (!parsed.success) throw schemaError('batch request', parsed.error, [table]);
  return parsed.data;
}

function batchFromArrow(decoded: DecodedArrowBatch): Batch {
  const alerts = parseRows(AlertRows, AlertSchema, fastParseAlert, decoded.alerts, 'alerts');
  const clusters = parseRows(ClusterRows, ClusterSchema, fastParseCluster, decoded.clusters, 'clusters');
  const money_flows = parseRows(
    MoneyFlowRows,
    MoneyFlowSchema,
    fastParseMoneyFlow,
    decoded.money_flows,
    'money_flows',
  );
  const batch = batchFromRequest({ alerts, features: [], clusters, money_flows });
  return { ...batch, features: decoded.features };
}

/** Throws AmlError (400 schema, 422 integrity); returns the Batch the service scores. */
export function batchFromBody(body: unknown): Batch {
  const batch = body instanceof ArrowBody ? batchFromArrow(body.decoded) : parseBatchBody(body);
  assertBatchIntegrity(batch);
  return batch;
}
