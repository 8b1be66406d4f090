/** Small wire-format batches for the API tests and benchmarks (plain JSON, as a client sends). */
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export interface BodyOptions {
  clusters?: number;
  withFeatures?: boolean;
}

/** n alerts a0..a{n-1} on addresses x0.., a features row per address, optional clusters. */
export function makeBatchBody(n: number, options: BodyOptions = {}) {
  const alerts = Array.from({ length: n }, (_, i) => ({
    alert_id: `a${i}`,
    address: `x${i}`,
    processing_date: '2026-01-15',
    window_days: 7,
    typology_type: 'layering',
    severity: SEVERITIES[i % 4],
    volume_usd: i % 3 === 0 ? `${(i * 1000).toFixed(2)}` : i * 1000,
    alert_confidence_score: (i % 10) / 10,
    risk_indicators: ['r1'],
  }));
  const features =
    options.withFeatures === false
      ? []
      : Array.from({ length: n }, (_, i) => ({
          address: `x${i}`,
          degree_in: i % 7,
          degree_out: i % 5,
          total_volume_usd: i * 10.5,
          is_exchange_like: i % 2 === 0,
        }));
  const clusters = Array.from({ length: options.clusters ?? 0 }, (_, c) => ({
    cluster_id: `c${c}`,
    cluster_type: 'fan_in',
    related_alert_ids: [`a${c % Math.max(1, n)}`],
    confidence_avg: ((c % 9) + 1) / 10,
  }));
  return { alerts, features, clusters };
}
