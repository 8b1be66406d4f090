/**
 * Assembles the miner's Fastify server from its parts: schema compilers, error handling, request
 * ids, body parsers, metrics, OpenAPI/docs, then one plugin per route. It does not listen; the
 * caller (CLI, tests, benchmarks) does, and owns the ScoringService's lifetime.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ServerConfig } from '../config/schema.js';
import type { ScoringService } from '../models/scoring-service.js';
import { BATCH_ARROW_INFLATE_FACTOR } from './batch-body.js';
import { installErrorHandling } from './error-handler.js';
import { arrowBodyPlugin } from './plugins/arrow-body.js';
import { metricsPlugin } from './plugins/metrics.js';
import { openapiPlugin } from './plugins/openapi.js';
import { genReqId, requestIdPlugin } from './plugins/request-id.js';
import { healthRoute } from './routes/health.js';
import { rankAlertsRoute } from './routes/rank-alerts.js';
import { scoreAlertsRoute } from './routes/score-alerts.js';
import { scoreClustersRoute } from './routes/score-clusters.js';
import { versionRoute } from './routes/version.js';
import { serializerCompiler, validatorCompiler } from './schema-compilers.js';

/** The part of ServerConfig the HTTP layer reads. */
export type ApiConfig = Pick<ServerConfig, 'bodyLimitMb' | 'logLevel' | 'validateResponses'>;

const API_DEFAULTS: ApiConfig = { bodyLimitMb: 200, logLevel: 'info', validateResponses: false };

export interface CreateServerOptions {
  service: ScoringService;
  config?: Partial<ServerConfig>;
  /**
   * false: no logging; true or omitted: pino at config.logLevel; an options object: pino options;
   * a logger instance: used as is (Fastify's `loggerInstance`).
   */
  logger?: boolean | FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** Optional parts, on by default; tests switch them off to build a smaller server. */
  openapi?: boolean;
  metrics?: boolean;
}

function isLoggerInstance(value: unknown): value is FastifyBaseLogger {
  return (
    typeof value === 'object' && value !== null && typeof (value as FastifyBaseLogger).child === 'function'
  );
}

function loggerOptions(options: CreateServerOptions, config: ApiConfig): Partial<FastifyServerOptions> {
  const { logger } = options;
  if (isLoggerInstance(logger)) return { loggerInstance: logger };
  if (logger === false) return { logger: false };
  if (logger === undefined || logger === true) return { logger: { level: config.logLevel } };
  return { logger };
}

export async function createServer(options: CreateServerOptions): Promise<FastifyInstance> {
  const config: ApiConfig = { ...API_DEFAULTS, ...stripUndefined(options.config ?? {}) };
  const bodyLimit = Math.round(config.bodyLimitMb * 1024 * 1024);
  const app = Fastify({
    ...loggerOptions(options, config),
    bodyLimit,
    genReqId,
    requestIdHeader: false,
    return503OnClosing: true,
  });

  // a service that scores off the main thread also reads JSON and decodes batch_arrow there (docs/api.md)
  const deferArrow = options.service.scoreDeferred !== undefined;
  app.setValidatorCompiler(validatorCompiler(bodyLimit * BATCH_ARROW_INFLATE_FACTOR, deferArrow));
  app.setSerializerCompiler(serializerCompiler(config.validateResponses));
  installErrorHandling(app, bodyLimit);

  await app.register(requestIdPlugin);
  await app.register(arrowBodyPlugin, {
    bodyLimit,
    stream: deferArrow ? { maxDecodedBytes: bodyLimit * BATCH_ARROW_INFLATE_FACTOR } : undefined,
  });
  if (options.metrics !== false) await app.register(metricsPlugin, { service: options.service });
  if (options.openapi !== false) await app.register(openapiPlugin);

  const routeOptions = { service: options.service, serializeInService: !config.validateResponses };
  await app.register(scoreAlertsRoute, routeOptions);
  await app.register(rankAlertsRoute, routeOptions);
  await app.register(scoreClustersRoute, routeOptions);
  await app.register(healthRoute, routeOptions);
  await app.register(versionRoute, routeOptions);
  await app.ready();
  return app;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
