/**
 * What the scoring routes share: the 503 guard for a model that is not loaded, access to the
 * validated Batch, the check that a service answered one entry per row in request order, and the
 * error responses every route documents.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { Batch } from '../../data/batch.js';
import { amlError, ERRORS } from '../../errors.js';
import { COVERAGE_WARNING_THRESHOLD, type FeatureCoverage } from '../../features/coverage.js';
import type { ScoreOptions } from '../../models/model-contract.js';
import type { DeferredTask, ScoringService } from '../../models/scoring-service.js';
import { ErrorBodySchema, type ModelName } from '../../schemas/api.js';
import { DeferredArrowBody, type ScoringRequest } from '../batch-body.js';
import { StreamedBody } from '../streamed-body.js';

export interface ScoringRouteOptions {
  service: ScoringService;
  /**
   * Let a pooled service serialize the answers where it scored them (true unless responses are
   * zod-validated, which needs the objects): the main thread then sends bytes it never parses.
   */
  serializeInService?: boolean;
}

/** Answers 503 before the body is validated, so a server without the model does no work. */
export function requireModel(service: ScoringService, model: ModelName): preValidationAsyncHookHandler {
  return async () => {
    if (!service.health()[model]) throw amlError(ERRORS.AML_ERR_MODEL_NOT_LOADED, [model], { model });
  };
}

/** The body validator (schema-compilers.ts) replaces the wire body with the validated request. */
export function batchOf(request: FastifyRequest): Batch {
  return (request.body as ScoringRequest).batch;
}

/**
 * The request's options: `explain` from the JSON body, else `?explain=false` in the query string
 * (how a client posting plain Arrow, which has no place for options, asks for it).
 */
export function scoreOptionsOf(request: FastifyRequest): ScoreOptions {
  const fromBody = (request.body as ScoringRequest | DeferredArrowBody).options;
  if (fromBody.explain !== undefined) return fromBody;
  const query = request.query as Record<string, unknown> | undefined;
  if (query?.explain === 'false' || query?.explain === '0') return { explain: false };
  return fromBody;
}

export { assertRowsMatch } from '../rows-match.js';

export const FEATURE_COVERAGE_HEADER = 'x-aml-feature-coverage';

/**
 * Reports the batch's feature coverage for the model a route uses (docs/api.md): the
 * `x-aml-feature-coverage` header (0..1, three decimals), a request-log line, and below 80 % a
 * warning naming the missing column groups. Scoring goes ahead either way: the models are trained
 * to degrade gracefully, the warning tells the operator why scores may be weaker.
 */
export function reportCoverage(
  service: ScoringService,
  model: ModelName,
  batch: Batch,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  reportCoverageOf(service.featureCoverage?.(model, batch), model, request, reply);
}

function reportCoverageOf(
  c: FeatureCoverage | undefined,
  model: ModelName,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (c === undefined) return;
  const share = Math.round(c.coverage * 1000) / 1000;
  reply.header(FEATURE_COVERAGE_HEADER, share.toFixed(3));
  const fields = { model, feature_coverage: share, missing_groups: c.missingGroups };
  if (c.coverage < COVERAGE_WARNING_THRESHOLD) {
    request.log.warn(
      { ...fields, missing_columns: c.missingColumns.length },
      `feature coverage ${(share * 100).toFixed(1)}% for ${model} is below ${COVERAGE_WARNING_THRESHOLD * 100}%: the batch lacks ${c.missingGroups.join(', ')}`,
    );
  } else {
    request.log.info(fields, 'feature coverage');
  }
}

/**
 * What a scoring route gets back: the service's answer and the batch's row ids in request order,
 * or the answer as JSON bytes the service made and checked (`serialize`).
 */
export type RouteScoring<T> = RouteValue<T> | { json: Uint8Array; rows: number };
export type RouteValue<T> = { value: T; rowIds: readonly string[] };

/** The answer of a route that did not ask for JSON bytes (scoreRequest without `serialize`). */
export function answerValue<T>(scored: RouteScoring<T>): RouteValue<T> {
  if ('json' in scored) throw new Error('the scoring service serialized an answer nobody asked it to');
  return scored;
}

/**
 * Runs a route's scoring call and reports its feature coverage: on the validated Batch, or, for a
 * `batch_arrow` body the validator left undecoded or a JSON body streamed unparsed, in the
 * service's pool (scoreDeferred), which reads and checks it there with the same code and errors.
 */
export async function scoreRequest<T>(
  service: ScoringService,
  model: ModelName,
  task: DeferredTask,
  request: FastifyRequest,
  reply: FastifyReply,
  score: (batch: Batch, options: ScoreOptions) => Promise<T>,
  serialize = false,
): Promise<RouteScoring<T>> {
  const options = scoreOptionsOf(request);
  const body = request.body as ScoringRequest | DeferredArrowBody | StreamedBody;
  if (
    (body instanceof DeferredArrowBody || body instanceof StreamedBody) &&
    service.scoreDeferred !== undefined
  ) {
    const outcome = await service.scoreDeferred(task, body, options, { serialize });
    reportCoverageOf(outcome.coverage, model, request, reply);
    if (outcome.json !== undefined) return { json: outcome.json, rows: outcome.rows ?? 0 };
    return { value: outcome.value as T, rowIds: outcome.rowIds };
  }
  const { batch } = body as ScoringRequest;
  reportCoverage(service, model, batch, request, reply);
  const rowIds =
    task === 'scoreClusters' ? batch.clusters.map((c) => c.cluster_id) : batch.alerts.map((a) => a.alert_id);
  return { value: await score(batch, options), rowIds };
}

/** Answer bytes a service serialized (RouteScoring's `json`), sent as the JSON response they are. */
export function sendJsonBytes(reply: FastifyReply, json: Uint8Array): FastifyReply {
  const body = Buffer.from(json.buffer, json.byteOffset, json.byteLength);
  return reply.type('application/json; charset=utf-8').send(body);
}

export function countScored(app: FastifyInstance, route: string, rows: number): void {
  if (app.hasDecorator('amlMetrics')) app.amlMetrics.rowsScored.inc({ route }, rows);
}

export const ERROR_RESPONSES = {
  400: ErrorBodySchema.describe('schema error; details.issues name the paths'),
  413: ErrorBodySchema.describe('body larger than the configured limit'),
  415: ErrorBodySchema.describe(
    'content-type is neither JSON, the Arrow batch container nor multipart Arrow streams',
  ),
  422: ErrorBodySchema.describe('batch integrity error; details.issues name the ids'),
  503: ErrorBodySchema.describe('the model this route needs is not loaded'),
};
