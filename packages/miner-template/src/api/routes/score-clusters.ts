/** POST /score/clusters: one score per cluster, in request order (docs/api.md). */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ClusterScoresResponseSchema } from '../../schemas/api.js';
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

export const scoreClustersRoute: FastifyPluginAsync<ScoringRouteOptions> = async (
  app,
  { service, serializeInService },
) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/score/clusters',
    {
      schema: {
        summary: 'Score every cluster of a batch',
        description: 'One entry per cluster, in request order.',
        tags: ['scoring'],
        body: ScoringRequestSchema,
        response: { 200: ClusterScoresResponseSchema, ...ERROR_RESPONSES },
      },
      preValidation: requireModel(service, 'cluster_scorer'),
    },
    async (request, reply) => {
      const scored = await scoreRequest(
        service,
        'cluster_scorer',
        'scoreClusters',
        request,
        reply,
        (batch, options) => service.scoreClusters(batch, options),
        serializeInService,
      );
      if ('json' in scored) {
        countScored(app, '/score/clusters', scored.rows);
        return sendJsonBytes(reply, scored.json);
      }
      const { value: scores, rowIds } = scored;
      assertRowsMatch(
        rowIds,
        scores.map((s) => s.cluster_id),
        'cluster score',
      );
      countScored(app, '/score/clusters', scores.length);
      return scores;
    },
  );
};
