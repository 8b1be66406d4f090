/**
 * Ground truth for training (docs/data-contracts.md): an alert is positive when its address's risk_level is high
 * or critical, weighted by the label's confidence_score; a cluster is positive when any of its
 * alerts is. The ranker learns graded relevance instead (low 0, medium 1, high 2, critical 3), so
 * a critical alert outranks a high one. Alerts whose address has no label are left out of
 * training: their truth is unknown, and calling them negative would teach the model noise.
 */
import type { Batch } from '../data/batch.js';
import { type AddressLabel, isPositiveRiskLevel } from '../schemas/address-label.js';
import type { Severity } from '../schemas/primitives.js';

export const RELEVANCE: Readonly<Record<Severity, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

export interface AlertTrainingTruth {
  /** 1/0 per alert of the batch, NaN when unlabelled. */
  binary: Float64Array;
  /** Graded relevance per alert, NaN when unlabelled. */
  relevance: Float64Array;
  /** Sample weight per alert (the label's confidence_score), NaN when unlabelled. */
  weight: Float64Array;
}

export function indexLabels(labels: readonly AddressLabel[]): Map<string, AddressLabel> {
  const byAddress = new Map<string, AddressLabel>();
  for (const label of labels) byAddress.set(label.address, label);
  return byAddress;
}

export function alertTruth(batch: Batch, labels: readonly AddressLabel[]): AlertTrainingTruth {
  const byAddress = indexLabels(labels);
  const n = batch.alerts.length;
  const truth: AlertTrainingTruth = {
    binary: new Float64Array(n).fill(Number.NaN),
    relevance: new Float64Array(n).fill(Number.NaN),
    weight: new Float64Array(n).fill(Number.NaN),
  };
  for (let i = 0; i < n; i++) {
    const label = byAddress.get(batch.alerts[i].address);
    if (!label) continue;
    truth.binary[i] = isPositiveRiskLevel(label.risk_level) ? 1 : 0;
    truth.relevance[i] = RELEVANCE[label.risk_level];
    truth.weight[i] = label.confidence_score;
  }
  return truth;
}

/** 1 when any member alert is positive, 0 when all labelled members are negative, NaN when none is labelled. */
export function clusterTruth(batch: Batch, alerts: AlertTrainingTruth): Float64Array {
  const position = new Map<string, number>();
  batch.alerts.forEach((a, i) => {
    position.set(a.alert_id, i);
  });
  const out = new Float64Array(batch.clusters.length).fill(Number.NaN);
  batch.clusters.forEach((cluster, c) => {
    const members = new Set(cluster.related_alert_ids);
    if (cluster.primary_alert_id) members.add(cluster.primary_alert_id);
    for (const id of members) {
      const i = position.get(id);
      if (i === undefined) continue;
      const y = alerts.binary[i];
      if (y === 1) {
        out[c] = 1;
        return;
      }
      if (y === 0) out[c] = 0;
    }
  });
  return out;
}
