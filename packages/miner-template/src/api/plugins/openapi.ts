/**
 * The OpenAPI document (GET /openapi.json), generated from the routes' zod schemas, and the
 * Swagger UI at /docs, served from @fastify/swagger-ui's bundled files (no CDN, works offline).
 * Must be registered before the routes so it sees them.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createJsonSchemaTransform } from 'fastify-type-provider-zod';
import { API_VERSION } from '../version.js';
import { describeFields } from './field-docs.js';

const DOCS_PREFIX = '/docs';

const openapi: FastifyPluginAsync = async (app) => {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'AML miner API',
        description:
          'Scores AML alerts and clusters of one batch (see docs/api.md). JSON bodies, or the Arrow batch encoding with content-type application/vnd.apache.arrow.stream.',
        version: API_VERSION,
      },
    },
    transform: createJsonSchemaTransform({
      skipList: ['/openapi.json', '/metrics', `${DOCS_PREFIX}/*`, DOCS_PREFIX],
    }),
    transformObject: (documentObject) =>
      describeFields(
        'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject,
      ),
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: true,
    // The stock policy ends with upgrade-insecure-requests: opened as http://<ip or name>:8000/docs
    // (the API speaks plain HTTP) the browser then fetches the UI's own assets over https and the
    // page stays blank. Everything else in the policy is kept.
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/g, '').trim(),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};

export const openapiPlugin = fp(openapi, { name: 'aml-openapi', fastify: '5.x' });
