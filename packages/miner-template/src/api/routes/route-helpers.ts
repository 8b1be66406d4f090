/**
 * What the scoring routes share: the 503 guard for a model that is not loaded, access to the
 * validated Batch, the check that a service answered one entry per row in request order, and the
 * error responses every route documents.
 */
import type { FastifyInstance, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { Batch } from '../../data/batch.js';
import { amlError, ERRORS } from '../../errors.js';
import { ErrorBodySchema, type ModelName } from '../../schemas/api.js';
import type { ScoringService } from '../scoring-service.js';

export interface ScoringRouteOptions {
  service: ScoringService;
}

/** Answers 503 before the body is validated, so a server without the model does no work. */
export function requireModel(service: ScoringService, model: ModelName): preValidationAsyncHookHandler {
  return async () => {
    if (!service.health()[model]) throw amlError(ERRORS.AML_ERR_MODEL_NOT_LOADED, [model], { model });
  };
}

/** The body validator (schema-compilers.ts) replaces the wire body with the validated Batch. */
export function batchOf(request: FastifyRequest): Batch {
  return request.body as Batch;
}

/** A service answering the wrong rows is a bug on our side: a 500, never a wrong answer. */
export function assertRowsMatch(
  expected: readonly string[],
  got: readonly { id: string }[] | readonly string[],
  what: string,
): void {
  const ids = got.map((g) => (typeof g === 'string' ? g : g.id));
  if (ids.length !== expected.length) {
    throw new Error(`scoring service returned ${ids.length} ${what} entries for ${expected.length} rows`);
  }
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== expected[i]) {
      throw new Error(`scoring service entry ${i} is for ${ids[i]}, expected ${expected[i]} (request order)`);
    }
  }
}

export function countScored(app: FastifyInstance, route: string, rows: number): void {
  if (app.hasDecorator('amlMetrics')) app.amlMetrics.rowsScored.inc({ route }, rows);
}

export const ERROR_RESPONSES = {
  400: ErrorBodySchema.describe('schema error; details.issues name the paths'),
  413: ErrorBodySchema.describe('body larger than the configured limit'),
  415: ErrorBodySchema.describe('content-type is neither JSON nor the Arrow batch encoding'),
  422: ErrorBodySchema.describe('batch integrity error; details.issues name the ids'),
  503: ErrorBodySchema.describe('the model this route needs is not loaded'),
};
