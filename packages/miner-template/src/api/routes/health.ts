/** GET /health: which models are loaded; 503 with the same body while any is missing (docs/api.md). */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Health, HealthSchema, MODEL_NAMES } from '../../schemas/api.js';
import type { ScoringRouteOptions } from './route-helpers.js';

export const healthRoute: FastifyPluginAsync<ScoringRouteOptions> = async (app, { service }) => {
  const startedAt = performance.now();
  app.withTypeProvider<ZodTypeProvider>().get(
    '/health',
    {
      schema: {
        summary: 'Model status',
        tags: ['status'],
        response: {
          200: HealthSchema.describe('every model is loaded'),
          503: HealthSchema.describe('at least one model is missing'),
        },
      },
    },
    async (_request, reply) => {
      const loaded = service.health();
      const models_loaded = {
        alert_scorer: loaded.alert_scorer,
        alert_ranker: loaded.alert_ranker,
        cluster_scorer: loaded.cluster_scorer,
      };
      const healthy = MODEL_NAMES.every((m) => models_loaded[m]);
      const body: Health = {
        status: healthy ? 'healthy' : 'degraded',
        models_loaded,
        uptime_s: Math.round((performance.now() - startedAt) / 10) / 100,
      };
      return reply.code(healthy ? 200 : 503).send(body);
    },
  );
};
