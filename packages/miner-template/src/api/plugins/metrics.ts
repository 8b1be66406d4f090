/**
 * Prometheus metrics at GET /metrics, on a registry owned by this server instance (two servers in
 * one process never share counters): requests by route and status, latency histograms, alerts and
 * clusters scored, and the loaded model versions as a labelled gauge.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ScoringService } from '../../models/scoring-service.js';
import { MODEL_NAMES } from '../../schemas/api.js';

export interface ApiMetrics {
  registry: Registry;
  /** Rows scored, by route (alerts for /score/alerts and /rank/alerts, clusters for /score/clusters). */
  rowsScored: Counter<'route'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    amlMetrics: ApiMetrics;
  }
}

export interface MetricsOptions {
  service: ScoringService;
  /** Node process metrics (CPU, memory, event loop); on by default. */
  processMetrics?: boolean;
}

/** Buckets from 1 ms to 2 min: small requests sit at the bottom, 50k-alert batches at the top. */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const UNMATCHED_ROUTE = 'unmatched';

const metrics: FastifyPluginAsync<MetricsOptions> = async (app, options) => {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'aml_miner_' });

  const requests = new Counter({
    name: 'aml_miner_http_requests_total',
    help: 'HTTP requests answered, by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'aml_miner_http_request_duration_seconds',
    help: 'Time from request received to response sent, by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const rowsScored = new Counter({
    name: 'aml_miner_rows_scored_total',
    help: 'Alerts or clusters scored, by route',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const service = options.service;
  new Gauge({
    name: 'aml_miner_model_info',
    help: 'Loaded models: 1 per (model, version); a model that is not loaded has version=""',
    labelNames: ['model', 'version', 'loaded'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const versions = service.versions();
      const loaded = service.health();
      for (const model of MODEL_NAMES) {
        this.set({ model, version: versions[model] ?? '', loaded: String(loaded[model]) }, 1);
      }
    },
  });

  app.decorate('amlMetrics', { registry, rowsScored });

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      status_code: String(reply.statusCode),
    };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
};

export const metricsPlugin = fp(metrics, { name: 'aml-metrics', fastify: '5.x' });
