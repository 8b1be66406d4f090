/**
 * Body parsing: JSON (Fastify's own parser), the Arrow batch container (data/arrow-batch.ts) and one
 * Arrow IPC stream per table as multipart/form-data (multipart-body.ts). Fastify's text/plain
 * parser is removed so a text body is a 415, not a string that fails validation.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { decodeBatchArrow } from '../../data/arrow-batch.js';
import { ArrowBody } from '../batch-body.js';
import { ARROW_CONTENT_TYPE } from '../content-types.js';
import { decodeMultipartBatch, MULTIPART_CONTENT_TYPE } from '../multipart-body.js';

export interface ArrowBodyOptions {
  bodyLimit: number;
}

const arrowBody: FastifyPluginAsync<ArrowBodyOptions> = async (app, options) => {
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    ARROW_CONTENT_TYPE,
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    async (_request: unknown, body: Buffer) => new ArrowBody(decodeBatchArrow(body)),
  );
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
