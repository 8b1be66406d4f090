/**
 * GET /version: the API contract version, each model's version (null when not loaded) and what the
 * API reads besides plain JSON (the axon proxy advertises no more than that to validators).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BATCH_ARROW_CODECS } from '../../data/arrow-compression.js';
import { VersionSchema } from '../../schemas/api.js';
import { API_VERSION } from '../version.js';
import type { ScoringRouteOptions } from './route-helpers.js';

export const versionRoute: FastifyPluginAsync<ScoringRouteOptions> = async (app, { service }) => {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/version',
      { schema: { summary: 'API and model versions', tags: ['status'], response: { 200: VersionSchema } } },
      async () => {
        const v = service.versions();
        return {
          api_version: API_VERSION,
          model_versions: {
            alert_scorer: v.alert_scorer,
            alert_ranker: v.alert_ranker,
            cluster_scorer: v.cluster_scorer,
          },
          // The body parsers decode both batch_arrow codecs and no Content-Encoding: the proxy in
          // front decodes compressed requests itself.
          accepts: { batch_arrow_codecs: [...BATCH_ARROW_CODECS], request_codings: [] },
        };
      },
    );
};
