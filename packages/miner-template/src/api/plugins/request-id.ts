/**
 * Request ids: a client's `x-request-id` is kept when it is a sane token (so a proxy's id follows
 * the request through our logs), otherwise a random UUID is made; the id is echoed in the response.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, RawRequestDefaultExpression } from 'fastify';
import fp from 'fastify-plugin';

export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** For Fastify's `genReqId` option. */
export function genReqId(req: RawRequestDefaultExpression): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}

const requestId: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
};

export const requestIdPlugin = fp(requestId, { name: 'aml-request-id', fastify: '5.x' });
