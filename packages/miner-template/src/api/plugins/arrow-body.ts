/**
 * Body parsing: JSON (Fastify's own parser) and the Arrow batch encoding (arrow-codec.ts). Fastify's
 * text/plain parser is removed so a text body is a 415, not a string that fails validation.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { ARROW_CONTENT_TYPE, decodeBatchArrow } from '../arrow-codec.js';
import { ArrowBody } from '../batch-body.js';

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
};

export const arrowBodyPlugin = fp(arrowBody, { name: 'aml-arrow-body', fastify: '5.x' });
