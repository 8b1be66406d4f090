/**
 * Test support (not exported from the package): builds an in-memory Batch from wire-shaped rows
 * through the real schemas, so tests see the same coercions and defaults as the API.
 */
import type { Batch } from '../data/batch.js';
import { featureRowsToTable } from '../data/feature-table.js';
import { type BatchRequestInput, BatchRequestSchema } from '../schemas/batch.js';

export function makeBatch(input: BatchRequestInput): Batch {
  const parsed = BatchRequestSchema.parse(input);
  return {
    key: { network: 'testnet', processing_date: '2026-01-01', window_days: 7 },
    alerts: parsed.alerts,
    features: featureRowsToTable(parsed.features),
    clusters: parsed.clusters,
    money_flows: parsed.money_flows,
  };
}

const H = 3_600_000;

/**
 * Four alerts on addresses a, b, a, e. Features exist for a and d only; b and e have none.
 * Flows: a→b 100, b→a 50, a→d 300, c→a 10, d→b 20, and a self-loop a→a that must be ignored.
 */
export const HAND_BATCH: BatchRequestInput = {
  alerts: [
    {
      alert_id: 'A1',
      address: 'a',
      severity: 'high',
      alert_confidence_score: 0.9,
      volume_usd: '1000',
      typology_type: 'layering',
      suspected_address_type: 'exchange',
      risk_indicators: ['x', 'y'],
    },
    {
      alert_id: 'A2',
      address: 'b',
      severity: 'low',
      alert_confidence_score: 0.5,
      volume_usd: 100,
      typology_type: 'fan_in',
      suspected_address_type: 'Mixer',
    },
    {
      alert_id: 'A3',
      address: 'a',
      severity: 'critical',
      alert_confidence_score: 0.5,
      typology_type: 'weird',
      risk_indicators: '["z"]',
    },
    {
      alert_id: 'A4',
      address: 'e',
      volume_usd: 100,
      typology_type: 'fan_out',
      suspected_address_type: 'wallet',
    },
  ],
  features: [
    { address: 'a', degree_in: 3, total_volume_usd: 500, custom_x: 7 },
    { address: 'd', degree_in: 1, total_volume_usd: 100 },
  ],
  clusters: [
    {
      cluster_id: 'C1',
      primary_alert_id: 'A1',
      related_alert_ids: ['A2', 'A1'],
      total_volume_usd: 5000,
      severity_max: 'high',
      confidence_avg: 0.8,
      earliest_alert_timestamp: 0,
      latest_alert_timestamp: 2 * H,
      addresses_involved: ['a', 'b', 'd'],
      total_alerts: 2,
    },
    {
      cluster_id: 'C2',
      related_alert_ids: ['A1', 'A3', 'A9'],
      earliest_alert_timestamp: 1 * H,
      latest_alert_timestamp: 5 * H,
    },
    { cluster_id: 'C3' },
  ],
  money_flows: [
    { from_address: 'a', to_address: 'b', amount_usd_sum: 100 },
    { from_address: 'b', to_address: 'a', amount_usd_sum: 50 },
    { from_address: 'a', to_address: 'd', amount_usd_sum: '300' },
    { from_address: 'c', to_address: 'a', amount_usd_sum: 10 },
    { from_address: 'd', to_address: 'b', amount_usd_sum: 20 },
    { from_address: 'a', to_address: 'a', amount_usd_sum: 999 },
  ],
};
