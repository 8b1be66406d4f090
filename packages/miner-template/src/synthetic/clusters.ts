/**
 * Groups related alerts into clusters (the clusters table of docs/data-contracts.md) the way a pipeline would, from observable
 * links only: alerted addresses joined by direct flows (hubs such as exchanges never join two
 * components), then any address carrying several alerts on its own. Large components are split
 * into chunks so a cluster stays reviewable.
 */
import type { Alert } from '../schemas/alert.js';
import type { Cluster } from '../schemas/cluster.js';
import { SEVERITIES, type Severity } from '../schemas/primitives.js';
import type { FlowTable } from './flows.js';
import { KIND, type Population } from './population.js';

const MAX_CLUSTER_ALERTS = 40;

function find(parent: Map<number, number>, x: number): number {
  let r = x;
  while (parent.get(r) !== r) r = parent.get(r) as number;
  let c = x;
  while (c !== r) {
    const next = parent.get(c) as number;
    parent.set(c, r);
    c = next;
  }
  return r;
}

export function buildClusters(
  alerts: Alert[],
  alertAddress: Int32Array,
  detectedAt: Float64Array,
  flows: FlowTable,
  pop: Population,
  network: string,
  date: string,
): Cluster[] {
  const parent = new Map<number, number>();
  for (const a of alertAddress) parent.set(a, a);
  const isHub = (a: number) => pop.kind[a] !== KIND.retail && pop.kind[a] !== KIND.illicit;
  for (const a of parent.keys()) {
    if (isHub(a)) continue;
    for (let k = flows.outOffsets[a]; k < flows.outOffsets[a + 1]; k++) {
      const b = flows.to[flows.outFlows[k]];
      if (parent.has(b) && !isHub(b)) {
        const ra = find(parent, a);
        const rb = find(parent, b);
        if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
      }
    }
  }
  // members per component, in alert order (deterministic)
  const groups = new Map<number, number[]>();
  for (let j = 0; j < alerts.length; j++) {
    const root = find(parent, alertAddress[j]);
    const g = groups.get(root);
    if (g) g.push(j);
    else groups.set(root, [j]);
  }
  const clusters: Cluster[] = [];
  let n = 0;
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const distinct = new Set(members.map((j) => alertAddress[j])).size;
    const type = distinct > 1 ? 'connected_addresses' : 'same_address';
    for (let s = 0; s < members.length; s += MAX_CLUSTER_ALERTS) {
      const chunk = members.slice(s, s + MAX_CLUSTER_ALERTS);
      if (chunk.length < 2) continue;
      n++;
      clusters.push(
        makeCluster(
          `cluster_${network}_${date}_${String(n).padStart(5, '0')}`,
          type,
          chunk,
          alerts,
          detectedAt,
        ),
      );
    }
  }
  return clusters;
}

function makeCluster(
  id: string,
  type: string,
  members: number[],
  alerts: Alert[],
  detectedAt: Float64Array,
): Cluster {
  let primary = members[0];
  let volume = 0;
  let confidence = 0;
  let sevMax = 0;
  let earliest = Number.POSITIVE_INFINITY;
  let latest = 0;
  const addresses: string[] = [];
  for (const j of members) {
    const a = alerts[j];
    if (a.alert_confidence_score > alerts[primary].alert_confidence_score) primary = j;
    volume += Number.isNaN(a.volume_usd) ? 0 : a.volume_usd;
    confidence += a.alert_confidence_score;
    sevMax = Math.max(sevMax, SEVERITIES.indexOf(a.severity as Severity));
    earliest = Math.min(earliest, detectedAt[j]);
    latest = Math.max(latest, detectedAt[j]);
    if (!addresses.includes(a.address)) addresses.push(a.address);
  }
  const p = alerts[primary];
  return {
    cluster_id: id,
    cluster_type: type,
    primary_address: p.address,
    pattern_id: p.pattern_id,
    primary_alert_id: p.alert_id,
    related_alert_ids: members.map((j) => alerts[j].alert_id),
    addresses_involved: addresses,
    total_alerts: members.length,
    total_volume_usd: Math.round(volume * 100) / 100,
    severity_max: SEVERITIES[sevMax],
    confidence_avg: Math.round((confidence / members.length) * 1e4) / 1e4,
    earliest_alert_timestamp: earliest,
    latest_alert_timestamp: latest,
  };
}
