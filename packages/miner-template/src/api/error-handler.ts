/**
 * One place that turns any error into the API's error body `{error, message, details?}`: AmlErrors
 * keep their code and status; Fastify's own client errors (size, media type, malformed JSON) get
 * our codes; anything else is a 500 with a request id, logged with its stack. Bad input never
 * reaches the last branch.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AmlError, amlError, ERRORS, isAmlError } from '../errors.js';
import type { ErrorBody } from '../schemas/api.js';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
}

/** '/alerts/0/alert_id' -> 'alerts[0].alert_id' */
function pointerToPath(pointer: string | undefined, context: string | undefined): string {
  const parts = (pointer ?? '').split('/').filter((p) => p !== '');
  let out = context ?? '';
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(root)' : out;
}

/** Bytes as the MB the --body-limit-mb flag takes (MiB, as the server multiplies it). */
function megabytes(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 100) / 100);
}

/** Maps an error to the AmlError the client sees. Exported for tests. */
export function toAmlError(err: unknown, request: FastifyRequest, bodyLimit: number): AmlError {
  if (isAmlError(err)) return err;
  const e = err as Partial<FastifyError> & { validation?: ValidationIssue[]; validationContext?: string };
  if (Array.isArray(e.validation)) {
    const issues = e.validation.map((v) => ({
      path: pointerToPath(v.instancePath, e.validationContext),
      code: v.keyword ?? 'invalid',
      message: v.message ?? 'invalid value',
    }));
    const shown = issues
      .slice(0, 3)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    return amlError(ERRORS.AML_ERR_SCHEMA_INVALID, [e.validationContext ?? 'request', shown], { issues });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return amlError(ERRORS.AML_ERR_API_BODY_TOO_LARGE, [bodyLimit, megabytes(bodyLimit)], {
        limit_bytes: bodyLimit,
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = request.headers['content-type'] ?? '(none)';
      return amlError(ERRORS.AML_ERR_API_UNSUPPORTED_MEDIA, [JSON.stringify(type)], {
        supported: ['application/json', 'application/vnd.apache.arrow.stream', 'multipart/form-data'],
      });
    }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return amlError(ERRORS.AML_ERR_API_MALFORMED_BODY, [e.message ?? 'unreadable body']);
  }
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // a client error Fastify raised that has no code of ours (e.g. a JSON SyntaxError, an aborted body)
    if (err instanceof SyntaxError) return amlError(ERRORS.AML_ERR_API_MALFORMED_BODY, [err.message]);
    const bad = amlError(ERRORS.AML_ERR_API_BAD_REQUEST, [e.message ?? 'invalid request']);
    return Object.assign(bad, { status });
  }
  return amlError(ERRORS.AML_ERR_API_INTERNAL, [request.id]);
}

export function errorBody(err: AmlError): ErrorBody {
  return err.details === undefined
    ? { error: err.code, message: err.message }
    : { error: err.code, message: err.message, details: err.details };
}

/** Installs the error and not-found handlers on the root instance. */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = toAmlError(err, request, bodyLimit);
    if (mapped.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: mapped.code, status: mapped.status }, mapped.message);
    reply.code(mapped.status).type('application/json').send(errorBody(mapped));
  });
  app.setNotFoundHandler((request, reply) => {
    const err = amlError(ERRORS.AML_ERR_API_NOT_FOUND, [request.method, request.url.split('?')[0]]);
    reply.code(err.status).type('application/json').send(errorBody(err));
  });
}
