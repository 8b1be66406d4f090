/**
 * Fastify validator and serializer compilers built on the zod contracts. The batch body gets its
 * own validator (zod schema, integrity, rows to columns, Arrow bodies) so request.body is the
 * ScoringRequest (Batch and options) the service needs; every other schema goes through fastify-type-provider-zod. Responses are
 * either zod-checked (validateResponses) or written with plain JSON.stringify: the handlers build
 * them from typed service output, and for 50k entries the zod encode pass is the dominant cost
 * (bench/api.bench.ts measures both).
 */
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import {
  serializerCompiler as zodSerializerCompiler,
  validatorCompiler as zodValidatorCompiler,
} from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { isAmlError } from '../errors.js';
import { ScoringRequestSchema } from '../schemas/batch.js';
import { requestFromBody, requestOrDeferred } from './batch-body.js';
import { StreamedBody } from './streamed-body.js';

/**
 * `maxDecodedBytes` caps what a `batch_arrow` field may inflate to; with `deferArrow` a
 * `batch_arrow` body is left for the scoring service to decode (ScoringService.scoreDeferred).
 */
export const validatorCompiler =
  (maxDecodedBytes: number, deferArrow = false): FastifySchemaCompiler<ZodType> =>
  (route) => {
    if (route.schema !== ScoringRequestSchema) return zodValidatorCompiler(route);
    return (data: unknown) => {
      // a streamed body is read and checked where it is scored (streamed-body.ts)
      if (data instanceof StreamedBody) return { value: data };
      try {
        return {
          value: deferArrow
            ? requestOrDeferred(data, maxDecodedBytes)
            : requestFromBody(data, maxDecodedBytes),
        };
      } catch (err) {
        // a thrown validator is a 500 in Fastify: hand our 4xx errors back as validation results
        if (isAmlError(err)) return { error: err };
        throw err;
      }
    };
  };

export function serializerCompiler(validateResponses: boolean): FastifySerializerCompiler<ZodType> {
  if (validateResponses) return zodSerializerCompiler as FastifySerializerCompiler<ZodType>;
  return () => (data: unknown) => JSON.stringify(data);
}
