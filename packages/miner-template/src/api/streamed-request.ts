/**
 * A JSON request body read as it streams in (data/json-object-stream.ts), straight into the
 * validated request: alerts, clusters and money flows through the same fast row parsers and zod
 * schemas as a parsed body, features into columns row by row, so neither the body text nor a tree
 * of row objects is ever whole in memory. The outcome is requestFromBody's for the same bytes:
 * the same Batch, and for a bad body the same error (options first, then `batch_arrow`, then the
 * schema issues in BatchRequestSchema's key order, then integrity). A body that is not an object at
 * the top is read whole and taken down requestFromBody itself.
 */
import secureJson from 'secure-json-parse';
import { z } from 'zod';
import type { Batch } from '../data/batch.js';
import { BatchArrowStream } from '../data/batch-arrow-stream.js';
import { FeatureColumnsBuilder } from '../data/feature-columns-builder.js';
import { emptyFeatureTable } from '../data/feature-table.js';
import { assertBatchIntegrity, batchFromRequest, schemaError } from '../data/index.js';
import {
  type JsonObjectSink,
  JsonObjectStream,
  MalformedJsonError,
  type StringSink,
} from '../data/json-object-stream.js';
import { amlError, ERRORS } from '../errors.js';
import { AlertSchema } from '../schemas/alert.js';
import { BatchRequestSchema, TABLE_NAMES, type TableName } from '../schemas/batch.js';
import { ClusterSchema } from '../schemas/cluster.js';
import { fastParseAlert, fastParseCluster, fastParseMoneyFlow } from '../schemas/fast-rows.js';
import { FeatureRowSchema } from '../schemas/features.js';
import { type MoneyFlow, MoneyFlowSchema } from '../schemas/money-flow.js';
import {
  arrowField,
  hasArrowField,
  optionsOf,
  requestFromBody,
  requestFromDecoded,
  type ScoringRequest,
} from './batch-body.js';

/** What Fastify answers for a body that is empty or not JSON (error-handler.ts maps both). */
const EMPTY_BODY = "Body cannot be empty when content-type is set to 'application/json'";
const INVALID_BODY = "Body is not valid JSON but content-type is set to 'application/json'";

type RowTable = Exclude<TableName, 'features'>;

const ROW_PARSERS: Record<RowTable, { fast: (row: unknown) => unknown; schema: z.ZodType }> = {
  alerts: { fast: fastParseAlert, schema: AlertSchema },
  clusters: { fast: fastParseCluster, schema: ClusterSchema },
  money_flows: { fast: fastParseMoneyFlow, schema: MoneyFlowSchema },
};

interface TableState {
  count: number;
  rows: unknown[];
  features?: FeatureColumnsBuilder;
  issues: z.core.$ZodIssue[];
}

const isTable = (key: string): key is TableName => (TABLE_NAMES as readonly string[]).includes(key);

const ARROW_FIELD = 'batch_arrow';
/** What the body's `batch_arrow` stands as in the skeleton once streamed: a non-empty string, or ''. */
const STREAMED = '(streamed)';

export class StreamedRequest implements JsonObjectSink {
  private readonly stream: JsonObjectStream;
  /** Members that are not table arrays, as parsed (a table member that is not an array too). */
  private readonly others: Record<string, unknown> = {};
  private readonly tables = new Map<TableName, TableState>();
  /**
   * One copy of each address a money flow names: a batch has ~5 flows per address, and JSON.parse
   * gives every occurrence its own string (40 MB of duplicates at 50,000 alerts).
   */
  private readonly addresses = new Map<string, string>();

  /**
   * The `batch_arrow` member being decoded as it streams in: the field's text is never whole in
   * memory (batch-arrow-stream.ts). A later member of the same name replaces it, as in JSON.parse.
   */
  private arrow: BatchArrowStream | undefined;

  /**
   * `maxDecodedBytes` caps what a `batch_arrow` field may inflate to; `groupBytes`: see
   * JsonObjectStream (tests use tiny groups).
   */
  constructor(
    private readonly maxDecodedBytes: number,
    groupBytes?: number,
  ) {
    this.stream = new JsonObjectStream(this, groupBytes);
  }

  /** Feeds the next bytes; throws AML_ERR_API_MALFORMED_BODY as soon as they cannot be JSON. */
  push(chunk: Uint8Array): void {
    try {
      this.stream.push(chunk);
    } catch (err) {
      throw malformed(err);
    }
  }

  value(key: string, value: unknown): void {
    if (isTable(key)) this.tables.delete(key);
    if (key === ARROW_FIELD) this.dropArrow();
    this.others[key] = value;
  }

  stringStart(key: string): StringSink | undefined {
    if (key !== ARROW_FIELD) return undefined;
    this.dropArrow();
    delete this.others[key];
    const arrow = new BatchArrowStream(this.maxDecodedBytes);
    this.arrow = arrow;
    let length = 0;
    return {
      write: (bytes) => {
        length += bytes.length;
        arrow.write(bytes);
      },
      end: () => {
        this.others[key] = length > 0 ? STREAMED : '';
      },
    };
  }

  private dropArrow(): void {
    this.arrow?.abort();
    this.arrow = undefined;
  }

  arrayStart(key: string): void {
    // JSON.parse keeps the last of repeated keys: so does a repeated member here
    delete this.others[key];
    if (key === ARROW_FIELD) this.dropArrow();
    if (isTable(key)) {
      const features = key === 'features' ? new FeatureColumnsBuilder() : undefined;
      this.tables.set(key, { count: 0, rows: [], features, issues: [] });
    } else this.others[key] = [];
  }

  elements(key: string, items: unknown[]): void {
    const state = isTable(key) ? this.tables.get(key) : undefined;
    if (state === undefined) return; // an array beside the tables: ignored, as the schema does
    for (const item of items) {
      const index = state.count++;
      if (state.features !== undefined) {
        if (state.features.add(item)) continue;
        const parsed = FeatureRowSchema.safeParse(item);
        if (parsed.success) state.features.add(parsed.data);
        else addIssues(state, key, index, parsed.error);
        continue;
      }
      const { fast, schema } = ROW_PARSERS[key as RowTable];
      let row = fast(item);
      if (row === undefined) {
        const parsed = schema.safeParse(item);
        if (!parsed.success) {
          addIssues(state, key, index, parsed.error);
          continue;
        }
        row = parsed.data;
      }
      if (state.issues.length > 0) continue;
      if (key === 'money_flows') this.internAddresses(row as MoneyFlow);
      state.rows.push(row);
    }
  }

  private internAddresses(flow: MoneyFlow): void {
    for (const field of ['from_address', 'to_address'] as const) {
      const address = flow[field];
      const known = this.addresses.get(address);
      if (known === undefined) this.addresses.set(address, address);
      else flow[field] = known;
    }
  }

  /** The validated request, as requestFromBody gives it for the same bytes. */
  async finish(): Promise<ScoringRequest> {
    try {
      return await this.finishBody();
    } finally {
      this.dropArrow();
    }
  }

  private async finishBody(): Promise<ScoringRequest> {
    if (this.stream.length === 0) throw amlError(ERRORS.AML_ERR_API_MALFORMED_BODY, [EMPTY_BODY]);
    try {
      this.stream.finish();
    } catch (err) {
      throw malformed(err);
    }
    if (this.stream.isWhole) return requestFromBody(parseWhole(this.stream.whole()), this.maxDecodedBytes);
    // the body with every table array standing in as an empty array of its length
    const skeleton: Record<string, unknown> = { ...this.others };
    for (const [name, state] of this.tables) skeleton[name] = new Array(state.count);
    const options = optionsOf(skeleton);
    if (hasArrowField(skeleton)) {
      arrowField(skeleton); // the same checks (a non-empty string, no JSON tables beside it) first
      const arrow = this.arrow;
      if (arrow === undefined) throw new Error('batch_arrow was streamed to no decoder');
      this.arrow = undefined;
      return requestFromDecoded(await arrow.finish(), options);
    }
    const batch = this.batch(skeleton);
    assertBatchIntegrity(batch);
    return { batch, options };
  }

  private batch(skeleton: Record<string, unknown>): Batch {
    for (const name of this.tables.keys()) skeleton[name] = [];
    const top = BatchRequestSchema.safeParse(skeleton);
    const issues: z.core.$ZodIssue[] = [];
    // zod reports an object's issues key by key in shape order, an array's row by row
    for (const name of TABLE_NAMES) {
      if (!top.success) issues.push(...top.error.issues.filter((i) => i.path[0] === name));
      issues.push(...(this.tables.get(name)?.issues ?? []));
    }
    if (!top.success) issues.push(...top.error.issues.filter((i) => !isTable(String(i.path[0]))));
    if (issues.length > 0) throw schemaError('batch request', new z.ZodError(issues));
    const rows = (name: RowTable) => (this.tables.get(name)?.rows ?? []) as never[];
    const batch = batchFromRequest({
      alerts: rows('alerts'),
      features: [],
      clusters: rows('clusters'),
      money_flows: rows('money_flows'),
    });
    const features = this.tables.get('features')?.features?.finish() ?? emptyFeatureTable();
    return { ...batch, features };
  }
}

function addIssues(state: TableState, key: string, index: number, error: z.ZodError): void {
  state.rows.length = 0; // the body is refused: its rows are no longer needed
  for (const issue of error.issues) state.issues.push({ ...issue, path: [key, index, ...issue.path] });
}

function malformed(err: unknown): Error {
  if (err instanceof MalformedJsonError) return amlError(ERRORS.AML_ERR_API_MALFORMED_BODY, [INVALID_BODY]);
  return err as Error;
}

function parseWhole(text: string): unknown {
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw amlError(ERRORS.AML_ERR_API_MALFORMED_BODY, [INVALID_BODY]);
  }
}
