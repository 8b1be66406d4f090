/**
 * Which batch alerts each cluster names (its primary_alert_id and related_alert_ids), resolved
 * once per batch to alert indices. Shared by the alert builder (clusters an alert belongs to) and
 * the cluster builder (aggregates over a cluster's alerts). Ids not in the batch are skipped here;
 * rejecting them is the batch-integrity check's job.
 */
import type { Alert } from '../schemas/alert.js';
import type { Cluster } from '../schemas/cluster.js';

export interface ClusterMembership {
  /** Per cluster: distinct indices of its alerts in the batch, primary first, then related order. */
  members: Int32Array[];
  /** Per cluster: distinct alert ids it names (primary ∪ related), whether in the batch or not. */
  size: Float64Array;
}

/** alert_id → index in `alerts` (the first occurrence wins). */
export function indexAlerts(alerts: readonly Alert[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < alerts.length; i++)
    if (!index.has(alerts[i]!.alert_id)) index.set(alerts[i]!.alert_id, i);
  return index;
}

export function resolveClusterMembership(
  clusters: readonly Cluster[],
  alertIndex: ReadonlyMap<string, number>,
): ClusterMembership {
  const members: Int32Array[] = [];
  const size = new Float64Array(clusters.length);
  for (let c = 0; c < clusters.length; c++) {
    const cluster = clusters[c]!;
    const named = new Set<string>();
    if (cluster.primary_alert_id !== undefined && cluster.primary_alert_id !== '')
      named.add(cluster.primary_alert_id);
    for (const id of cluster.related_alert_ids) if (id !== '') named.add(id);
    const found: number[] = [];
    for (const id of named) {
      const i = alertIndex.get(id);
      if (i !== undefined) found.push(i);
    }
    members.push(Int32Array.from(found));
    size[c] = named.size;
  }
  return { members, size };
}
