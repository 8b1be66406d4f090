/**
 * Body parsing: JSON (Fastify's own parser, or with a scoring pool streamed to it unparsed), the Arrow batch container (data/arrow-batch.ts) and one
 * Arrow IPC stream per table as multipart/form-data (multipart-body.ts). Fastify's text/plain
 * parser is removed so a text body is a 415, not a string that fails validation.
 */
import type { Readable } from 'node:stream';
import { errorCodes, type FastifyPluginAsync, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { decodeBatchArrow } from '../../data/arrow-batch.js';
import type { StreamFormat } from '../../models/scoring-service.js';
import { ArrowBody } from '../batch-body.js';
import { ARROW_CONTENT_TYPE } from '../content-types.js';
import { decodeMultipartBatch, MULTIPART_CONTENT_TYPE } from '../multipart-body.js';
import { StreamedBody } from '../streamed-body.js';

export interface ArrowBodyOptions {
  bodyLimit: number;
  /**
   * Set when the scoring service reads bodies in its pool (ScoringService.scoreDeferred): a JSON or
   * Arrow container body is then not parsed here but streamed there (streamed-body.ts); the cap is
   * for batch_arrow.
   */
  stream?: { maxDecodedBytes: number };
}

const arrowBody: FastifyPluginAsync<ArrowBodyOptions> = async (app, options) => {
  app.removeContentTypeParser('text/plain');
  const { stream } = options;
  if (stream !== undefined) {
    /** As Fastify's own parsers: a declared length over the limit is refused before reading. */
    const streamed =
      (format: StreamFormat) =>
      (request: FastifyRequest, payload: Readable, done: (err: Error | null, body?: unknown) => void) => {
        const contentLength = Number(request.headers['content-length']);
        if (contentLength > options.bodyLimit) done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        else
          done(
            null,
            new StreamedBody(format, payload, options.bodyLimit, contentLength, stream.maxDecodedBytes),
          );
      };
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', streamed('json'));
    app.addContentTypeParser(ARROW_CONTENT_TYPE, streamed('arrow'));
  } else {
    app.addContentTypeParser(
      ARROW_CONTENT_TYPE,
      { parseAs: 'buffer', bodyLimit: options.bodyLimit },
      async (_request: unknown, body: Buffer) => new ArrowBody(decodeBatchArrow(body)),
    );
  }
  app.addContentTypeParser(
    MULTIPART_CONTENT_TYPE,
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    async (request: FastifyRequest, body: Buffer) => {
      const { decoded, options: scoreOptions } = await decodeMultipartBatch(
        body,
        String(request.headers['content-type']),
      );
      return new ArrowBody(decoded, scoreOptions);
    },
  );
};

export const arrowBodyPlugin = fp(arrowBody, { name: 'aml-arrow-body', fastify: '5.x' });
