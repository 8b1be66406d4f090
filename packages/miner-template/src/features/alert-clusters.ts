/**
 * Cluster family for alerts: summarises the clusters an alert belongs to (named as primary or
 * related alert). A cluster's volume, severity and confidence come from its own fields, falling
 * back to its member alerts when a field is missing. An alert in no cluster has count 0 and NaN
 * elsewhere.
 */
import type { Alert } from '../schemas/alert.js';
import type { Cluster } from '../schemas/cluster.js';
import type { ClusterMembership } from './cluster-membership.js';
import type { FeatureMatrix } from './types.js';
import { severityOrdinal } from './vocabulary.js';

export const ALERT_CLUSTER_COLUMNS: readonly string[] = [
  'cluster_count',
  'cluster_is_primary',
  'cluster_max_size',
  'cluster_total_volume_usd',
  'cluster_max_severity',
  'cluster_mean_confidence',
  'cluster_time_span_hours',
];

const MS_PER_HOUR = 3_600_000;

/** A cluster's volume, severity and confidence: own field first, member alerts as fallback. */
function effectiveClusterValues(cluster: Cluster, members: Int32Array, alerts: readonly Alert[]) {
  let volume = cluster.total_volume_usd;
  if (Number.isNaN(volume)) {
    let sum = 0;
    let seen = 0;
    for (const i of members) {
      const v = alerts[i]!.volume_usd;
      if (!Number.isNaN(v)) {
        sum += v;
        seen++;
      }
    }
    volume = seen > 0 ? sum : Number.NaN;
  }
  let severity = severityOrdinal(cluster.severity_max);
  if (Number.isNaN(severity)) {
    for (const i of members) {
      const s = severityOrdinal(alerts[i]!.severity);
      if (!Number.isNaN(s) && !(s <= severity)) severity = s; // a present value replaces NaN
    }
  }
  let confidence = cluster.confidence_avg;
  if (Number.isNaN(confidence)) {
    let sum = 0;
    let seen = 0;
    for (const i of members) {
      const v = alerts[i]!.alert_confidence_score;
      if (!Number.isNaN(v)) {
        sum += v;
        seen++;
      }
    }
    confidence = seen > 0 ? sum / seen : Number.NaN;
  }
  return { volume, severity, confidence };
}

/** Fills ALERT_CLUSTER_COLUMNS, starting at column `offset`. */
export function writeAlertClusters(
  alerts: readonly Alert[],
  clusters: readonly Cluster[],
  membership: ClusterMembership,
  matrix: FeatureMatrix,
  offset: number,
): void {
  const n = alerts.length;
  const count = new Float64Array(n);
  const isPrimary = new Uint8Array(n);
  const maxSize = new Float64Array(n).fill(Number.NaN);
  const volumeSum = new Float64Array(n);
  const volumeSeen = new Uint32Array(n);
  const maxSeverity = new Float64Array(n).fill(Number.NaN);
  const confidenceSum = new Float64Array(n);
  const confidenceSeen = new Uint32Array(n);
  const earliest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const latest = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);

  for (let c = 0; c < clusters.length; c++) {
    const cluster = clusters[c]!;
    const members = membership.members[c]!;
    if (members.length === 0) continue;
    const { volume, severity, confidence } = effectiveClusterValues(cluster, members, alerts);
    const size = membership.size[c]!;
    const hasSpan =
      !Number.isNaN(cluster.earliest_alert_timestamp) && !Number.isNaN(cluster.latest_alert_timestamp);
    for (const i of members) {
      count[i]!++;
      if (alerts[i]!.alert_id === cluster.primary_alert_id) isPrimary[i] = 1;
      if (!(size <= maxSize[i]!)) maxSize[i] = size;
      if (!Number.isNaN(volume)) {
        volumeSum[i]! += volume;
        volumeSeen[i]!++;
      }
      if (!Number.isNaN(severity) && !(severity <= maxSeverity[i]!)) maxSeverity[i] = severity;
      if (!Number.isNaN(confidence)) {
        confidenceSum[i]! += confidence;
        confidenceSeen[i]!++;
      }
      if (hasSpan) {
        earliest[i] = Math.min(earliest[i]!, cluster.earliest_alert_timestamp);
        latest[i] = Math.max(latest[i]!, cluster.latest_alert_timestamp);
      }
    }
  }

  const stride = matrix.names.length;
  const values = matrix.values;
  for (let r = 0; r < n; r++) {
    const base = r * stride + offset;
    values[base] = count[r]!;
    values[base + 1] = isPrimary[r]!;
    if (count[r] === 0) continue; // the remaining columns stay NaN
    values[base + 2] = maxSize[r]!;
    values[base + 3] = volumeSeen[r]! > 0 ? volumeSum[r]! : Number.NaN;
    values[base + 4] = maxSeverity[r]!;
    values[base + 5] = confidenceSeen[r]! > 0 ? confidenceSum[r]! / confidenceSeen[r]! : Number.NaN;
    values[base + 6] = latest[r]! >= earliest[r]! ? (latest[r]! - earliest[r]!) / MS_PER_HOUR : Number.NaN;
  }
}
