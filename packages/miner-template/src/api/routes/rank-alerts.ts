/**
 * POST /rank/alerts: `[{alert_id, rank, score}]` in rank order, rank 1 = most suspicious, ties by
 * alert_id (docs/api.md). The service gives ranking scores; the ranks are assigned here, once, so every
 * service ranks identically.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AlertRanksResponseSchema } from '../../schemas/api.js';
import { ScoringRequestSchema } from '../../schemas/batch.js';
import { assignRanks } from '../ranking.js';
import {
  answerValue,
  countScored,
  ERROR_RESPONSES,
  requireModel,
  type ScoringRouteOptions,
  scoreRequest,
} from './route-helpers.js';

export const rankAlertsRoute: FastifyPluginAsync<ScoringRouteOptions> = async (app, { service }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/rank/alerts',
    {
      schema: {
        summary: 'Rank the alerts of a batch',
        description:
          'Entries in rank order: rank 1 is the most suspicious alert; equal scores are ordered by alert_id.',
        tags: ['scoring'],
        body: ScoringRequestSchema,
        response: { 200: AlertRanksResponseSchema, ...ERROR_RESPONSES },
      },
      preValidation: requireModel(service, 'alert_ranker'),
    },
    async (request, reply) => {
      const { value: scores, rowIds: ids } = answerValue(
        await scoreRequest(service, 'alert_ranker', 'rankAlerts', request, reply, (batch) =>
          service.rankAlerts(batch),
        ),
      );
      if (scores.length !== ids.length) {
        throw new Error(`scoring service returned ${scores.length} ranking scores for ${ids.length} alerts`);
      }
      countScored(app, '/rank/alerts', ids.length);
      return assignRanks(ids, scores);
    },
  );
};
