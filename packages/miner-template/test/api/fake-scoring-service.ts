/**
 * A deterministic ScoringService for tests and benchmarks: scores come from alert fields by a
 * fixed formula (severity and volume), so the server can be checked without any model.
 */

import type { Batch } from '../../src/data/batch.js';
import type { ModelFlags, ScoringService } from '../../src/models/scoring-service.js';
import type { Alert } from '../../src/schemas/alert.js';
import type { AlertScore, ClusterScore } from '../../src/schemas/api.js';

export interface FakeServiceOptions {
  loaded?: Partial<ModelFlags>;
  /** Every scoring call waits this long first (to test draining). */
  delayMs?: number;
  version?: string;
}

const SEVERITY_WEIGHT: Record<string, number> = { low: 0.1, medium: 0.3, high: 0.6, critical: 0.9 };

/** The fake's score for one alert, exported so tests can state expectations independently. */
export function fakeAlertScore(alert: Pick<Alert, 'severity' | 'volume_usd'>): number {
  const volume = Number.isFinite(alert.volume_usd) ? Math.max(0, alert.volume_usd) : 0;
  return 0.8 * (SEVERITY_WEIGHT[alert.severity] ?? 0.3) + 0.2 * (volume / (volume + 100_000));
}

const EXPLAIN = JSON.stringify({
  top_features: [{ name: 'severity', value: null, contribution: 0 }],
  base_value: 0,
});

export function createFakeScoringService(
  options: FakeServiceOptions = {},
): ScoringService & { calls: number } {
  const loaded: ModelFlags = {
    alert_scorer: true,
    alert_ranker: true,
    cluster_scorer: true,
    ...options.loaded,
  };
  const version = options.version ?? '1.0.0-fake';
  const wait = () =>
    options.delayMs
      ? new Promise<void>((resolve) => setTimeout(resolve, options.delayMs))
      : Promise.resolve();
  const service = {
    calls: 0,
    health: () => ({ ...loaded }),
    versions: () => ({
      alert_scorer: loaded.alert_scorer ? version : null,
      alert_ranker: loaded.alert_ranker ? version : null,
      cluster_scorer: loaded.cluster_scorer ? version : null,
    }),
    async scoreAlerts(batch: Batch): Promise<AlertScore[]> {
      service.calls++;
      await wait();
      const started = performance.now();
      const out = batch.alerts.map((alert) => ({
        alert_id: alert.alert_id,
        score: fakeAlertScore(alert),
        model_version: version,
        latency_ms: 0,
        explain_json: EXPLAIN,
      }));
      const latency = (performance.now() - started) / Math.max(1, out.length);
      for (const entry of out) entry.latency_ms = latency;
      return out;
    },
    async rankAlerts(batch: Batch): Promise<Float64Array> {
      service.calls++;
      await wait();
      return Float64Array.from(batch.alerts, (alert) => fakeAlertScore(alert));
    },
    async scoreClusters(batch: Batch): Promise<ClusterScore[]> {
      service.calls++;
      await wait();
      return batch.clusters.map((cluster) => ({
        cluster_id: cluster.cluster_id,
        score: Number.isFinite(cluster.confidence_avg) ? cluster.confidence_avg : 0.5,
        model_version: version,
        latency_ms: 0,
        explain_json: EXPLAIN,
      }));
    },
  };
  return service;
}
