import { describe, expect, it } from 'vitest';
import type { Batch } from '../data/batch.js';
import { featureRowsToTable } from '../data/feature-table.js';
import { AddressLabelSchema } from '../schemas/address-label.js';
import { AlertSchema } from '../schemas/alert.js';
import { ClusterSchema } from '../schemas/cluster.js';
import { alertTruth, clusterTruth } from './labels.js';

const batch: Batch = {
  key: { network: 'torus', processing_date: '2026-01-01', window_days: 7 },
  alerts: [
    AlertSchema.parse({ alert_id: 'a1', address: 'x' }),
    AlertSchema.parse({ alert_id: 'a2', address: 'y' }),
    AlertSchema.parse({ alert_id: 'a3', address: 'z' }),
    AlertSchema.parse({ alert_id: 'a4', address: 'unlabelled' }),
  ],
  features: featureRowsToTable([]),
  clusters: [
    ClusterSchema.parse({ cluster_id: 'c1', related_alert_ids: ['a2', 'a3'] }),
    ClusterSchema.parse({ cluster_id: 'c2', related_alert_ids: ['a1'], primary_alert_id: 'a1' }),
    ClusterSchema.parse({ cluster_id: 'c3', related_alert_ids: ['a4'] }),
  ],
  money_flows: [],
};
const labels = [
  AddressLabelSchema.parse({ address: 'x', label: 'benign', risk_level: 'medium', confidence_score: 0.7 }),
  AddressLabelSchema.parse({
    address: 'y',
    label: 'laundering',
    risk_level: 'critical',
    confidence_score: 0.9,
  }),
  AddressLabelSchema.parse({ address: 'z', label: 'benign', risk_level: 'low' }),
];

describe('alertTruth', () => {
  it('marks high/critical positive, weighs by confidence and leaves unlabelled alerts NaN', () => {
    const t = alertTruth(batch, labels);
    expect(Array.from(t.binary)).toEqual([0, 1, 0, Number.NaN]);
    expect(Array.from(t.relevance)).toEqual([1, 3, 0, Number.NaN]);
    expect(Array.from(t.weight)).toEqual([0.7, 0.9, 1, Number.NaN]);
  });
});

describe('clusterTruth', () => {
  it('is positive when any member alert is, negative when all labelled members are negative, NaN otherwise', () => {
    expect(Array.from(clusterTruth(batch, alertTruth(batch, labels)))).toEqual([1, 0, Number.NaN]);
  });
});
