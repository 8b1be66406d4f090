/**
 * Prometheus metrics for the axon proxy, on a registry of its own (never prom-client's global one,
 * so several servers in one process, as in tests, do not collide).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface AxonMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'status' | 'task'>;
  readonly duration: Histogram<'task'>;
  readonly minerApiErrors: Counter<'kind'>;
  readonly inFlight: Gauge;
  readonly queued: Gauge;
}

export function createAxonMetrics(options: { defaultMetrics?: boolean } = {}): AxonMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'aml_axon_requests_total',
      help: 'Synapse requests answered, by HTTP status and task',
      labelNames: ['status', 'task'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'aml_axon_request_seconds',
      help: 'Time from request arrival to answer, for requests that reached the miner API',
      labelNames: ['task'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    minerApiErrors: new Counter({
      name: 'aml_axon_miner_api_errors_total',
      help: 'Miner API failures, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'aml_axon_in_flight',
      help: 'Requests running against the miner API',
      registers: [registry],
    }),
    queued: new Gauge({
      name: 'aml_axon_queued',
      help: 'Requests waiting for a slot',
      registers: [registry],
    }),
  };
}
