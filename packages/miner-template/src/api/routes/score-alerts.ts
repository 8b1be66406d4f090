/** POST /score/alerts: one score per alert, in request order (SPEC §2). */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AlertScoresResponseSchema } from '../../schemas/api.js';
import { ScoringRequestSchema } from '../../schemas/batch.js';
import {
  assertRowsMatch,
  batchOf,
  countScored,
  ERROR_RESPONSES,
  reportCoverage,
  requireModel,
  type ScoringRouteOptions,
  scoreOptionsOf,
} from './route-helpers.js';

export const scoreAlertsRoute: FastifyPluginAsync<ScoringRouteOptions> = async (app, { service }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/score/alerts',
    {
      schema: {
        summary: 'Score every alert of a batch',
        description:
          'One entry per alert, in request order. explain_json holds TreeSHAP contributions; absent with explain: false.',
        tags: ['scoring'],
        body: ScoringRequestSchema,
        response: { 200: AlertScoresResponseSchema, ...ERROR_RESPONSES },
      },
      preValidation: requireModel(service, 'alert_scorer'),
    },
    async (request, reply) => {
      const batch = batchOf(request);
      reportCoverage(service, 'alert_scorer', batch, request, reply);
      const scores = await service.scoreAlerts(batch, scoreOptionsOf(request));
      assertRowsMatch(
        batch.alerts.map((a) => a.alert_id),
        scores.map((s) => s.alert_id),
        'alert score',
      );
      countScored(app, '/score/alerts', scores.length);
      return scores;
    },
  );
};
