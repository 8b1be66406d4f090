/** POST /score/alerts: one score per alert, in request order (docs/api.md). */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AlertScoresResponseSchema } from '../../schemas/api.js';
import { ScoringRequestSchema } from '../../schemas/batch.js';
import {
  assertRowsMatch,
  countScored,
  ERROR_RESPONSES,
  requireModel,
  type ScoringRouteOptions,
  scoreRequest,
  sendJsonBytes,
} from './route-helpers.js';

export const scoreAlertsRoute: FastifyPluginAsync<ScoringRouteOptions> = async (
  app,
  { service, serializeInService },
) => {
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
      const scored = await scoreRequest(
        service,
        'alert_scorer',
        'scoreAlerts',
        request,
        reply,
        (batch, options) => service.scoreAlerts(batch, options),
        serializeInService,
      );
      if ('json' in scored) {
        countScored(app, '/score/alerts', scored.rows);
        return sendJsonBytes(reply, scored.json);
      }
      const { value: scores, rowIds } = scored;
      assertRowsMatch(
        rowIds,
        scores.map((s) => s.alert_id),
        'alert score',
      );
      countScored(app, '/score/alerts', scores.length);
      return scores;
    },
  );
};
