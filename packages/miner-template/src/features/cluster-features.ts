/**
 * buildClusterFeatures: one row per cluster, in batch order. Families, in column order: the
 * cluster's own fields, aggregates over its member alerts (those it names that are in the batch),
 * means of key address features over its addresses, money-flow structure among its addresses, and
 * its standing among the batch's clusters (cluster-relative.ts).
 * A cluster's addresses are its member alerts' addresses, its addresses_involved and its
 * primary_address. The column list depends on the options only.
 */
import type { Batch } from '../data/batch.js';
import { flowColumnsOf, flowCount } from '../data/money-flow-columns.js';
import type { Cluster } from '../schemas/cluster.js';
import { indexFeatureRows } from './address-features.js';
import { indexAlerts, resolveClusterMembership } from './cluster-membership.js';
import { CLUSTER_RELATIVE_COLUMNS, writeClusterRelative } from './cluster-relative.js';
import { buildFlowGraph, type FlowGraph } from './flow-graph.js';
import { allocateMatrix } from './matrix.js';
import type { ClusterFeatureOptions, FeatureMatrix } from './types.js';
import { severityOrdinal, signedLog1p } from './vocabulary.js';

/** Address-table columns averaged over a cluster's addresses unless the options say otherwise. */
export const DEFAULT_MEMBER_FEATURE_COLUMNS: readonly string[] = [
  'total_volume_usd',
  'degree_total',
  'pagerank',
  'behavioral_anomaly_score',
  'graph_anomaly_score',
  'structuring_score',
  'velocity_score',
  'burst_factor',
  'is_mixer_like',
  'is_exchange_like',
  'is_new_address',
  'reciprocity_ratio',
  'flow_concentration',
  'small_transaction_ratio',
  'night_transaction_ratio',
];

const OWN_COLUMNS = [
  'cluster_total_alerts',
  'cluster_size',
  'cluster_log1p_total_volume_usd',
  'cluster_severity_max',
  'cluster_confidence_avg',
  'cluster_time_span_hours',
  'cluster_addresses_involved_count',
  'cluster_address_count',
];
const MEMBER_COLUMNS = [
  'members_count',
  'members_confidence_mean',
  'members_confidence_max',
  'members_severity_max',
  'members_volume_usd_total',
  'members_volume_usd_max',
  'members_distinct_addresses',
  'members_distinct_typologies',
];
const FLOW_COLUMNS = [
  'cluster_flow_internal_edges',
  'cluster_flow_density',
  'cluster_flow_internal_usd',
  'cluster_flow_boundary_usd',
];

const MS_PER_HOUR = 3_600_000;

function memberColumns(options: ClusterFeatureOptions): readonly string[] {
  return [...new Set(options.memberFeatureColumns ?? DEFAULT_MEMBER_FEATURE_COLUMNS)];
}

/** The column names buildClusterFeatures produces with these options, in order; no batch needed. */
export function clusterFeatureNames(options: ClusterFeatureOptions = {}): string[] {
  return [
    ...OWN_COLUMNS,
    ...MEMBER_COLUMNS,
    ...memberColumns(options).map((c) => `members_mean_addr_${c}`),
    ...FLOW_COLUMNS,
    ...CLUSTER_RELATIVE_COLUMNS,
  ];
}

/** NaN-skipping accumulator for one value stream; `mean`/`sum` are NaN when nothing was seen. */
class Tally {
  sum = 0;
  max = Number.NaN;
  seen = 0;
  add(v: number): void {
    if (Number.isNaN(v)) return;
    this.sum += v;
    this.seen++;
    if (!(v <= this.max)) this.max = v;
  }
  get total(): number {
    return this.seen > 0 ? this.sum : Number.NaN;
  }
  get mean(): number {
    return this.seen > 0 ? this.sum / this.seen : Number.NaN;
  }
}

function clusterAddresses(cluster: Cluster, memberAddresses: readonly string[]): string[] {
  const set = new Set<string>(memberAddresses);
  for (const a of cluster.addresses_involved) if (a !== '') set.add(a);
  if (cluster.primary_address !== undefined && cluster.primary_address !== '')
    set.add(cluster.primary_address);
  return [...set];
}

export function buildClusterFeatures(batch: Batch, options: ClusterFeatureOptions = {}): FeatureMatrix {
  const { alerts, clusters } = batch;
  const names = clusterFeatureNames(options);
  const matrix = allocateMatrix(
    names,
    clusters.map((c) => c.cluster_id),
  );
  const stride = names.length;
  const values = matrix.values;
  const membership = resolveClusterMembership(clusters, indexAlerts(alerts));
  const featureRows = indexFeatureRows(batch.features);
  const averaged = memberColumns(options).map((c) => batch.features.columns.get(c));
  const graph = flowCount(batch) > 0 ? buildFlowGraph(flowColumnsOf(batch)) : undefined;
  const flowScratch = graph === undefined ? undefined : new FlowScratch(graph.numNodes);

  for (let c = 0; c < clusters.length; c++) {
    const cluster = clusters[c]!;
    const members = membership.members[c]!;
    const confidence = new Tally();
    const severity = new Tally();
    const volume = new Tally();
    const memberAddresses = new Set<string>();
    const typologies = new Set<string>();
    for (const i of members) {
      const alert = alerts[i]!;
      confidence.add(alert.alert_confidence_score);
      severity.add(severityOrdinal(alert.severity));
      volume.add(alert.volume_usd);
      memberAddresses.add(alert.address);
      typologies.add(alert.typology_type.trim().toLowerCase());
    }
    const addresses = clusterAddresses(cluster, [...memberAddresses]);

    let col = 0;
    const put = (v: number): void => {
      values[c * stride + col++] = v;
    };
    put(cluster.total_alerts);
    put(membership.size[c]!);
    put(signedLog1p(cluster.total_volume_usd));
    put(severityOrdinal(cluster.severity_max));
    put(cluster.confidence_avg);
    put((cluster.latest_alert_timestamp - cluster.earliest_alert_timestamp) / MS_PER_HOUR);
    put(new Set(cluster.addresses_involved.filter((a) => a !== '')).size);
    put(addresses.length);

    put(members.length);
    put(confidence.mean);
    put(confidence.max);
    put(severity.max);
    put(volume.total);
    put(volume.max);
    put(memberAddresses.size);
    put(typologies.size);

    const rows: number[] = [];
    for (const a of addresses) {
      const row = featureRows.get(a);
      if (row !== undefined) rows.push(row);
    }
    for (const source of averaged) {
      const tally = new Tally();
      if (source !== undefined) for (const row of rows) tally.add(source[row]!);
      put(tally.mean);
    }

    if (graph !== undefined && flowScratch !== undefined) {
      const flow = flowScratch.measure(graph, addresses, c);
      const k = addresses.length;
      put(flow.internalEdges);
      put(k >= 2 ? flow.internalEdges / (k * (k - 1)) : Number.NaN);
      put(flow.internalUsd);
      put(flow.boundaryUsd);
    }
  }
  writeClusterRelative(matrix, stride - CLUSTER_RELATIVE_COLUMNS.length);
  return matrix;
}

/** Typed scratch for the flow measures, reset lazily by stamping node ids with the cluster index. */
class FlowScratch {
  private readonly inCluster: Int32Array;
  private readonly pairSeen: Int32Array;
  private pairToken = 0;

  constructor(numNodes: number) {
    this.inCluster = new Int32Array(numNodes).fill(-1);
    this.pairSeen = new Int32Array(numNodes).fill(-1);
  }

  /** Distinct directed internal pairs, USD inside the cluster, and USD crossing its boundary. */
  measure(graph: FlowGraph, addresses: readonly string[], clusterIndex: number) {
    const nodes: number[] = [];
    for (const a of addresses) {
      const v = graph.nodeOf.get(a);
      if (v !== undefined) {
        nodes.push(v);
        this.inCluster[v] = clusterIndex;
      }
    }
    let internalEdges = 0;
    let internalUsd = 0;
    let boundaryUsd = 0;
    for (const v of nodes) {
      const token = this.pairToken++;
      for (let e = graph.outStart[v]!; e < graph.outStart[v + 1]!; e++) {
        const w = graph.outTarget[e]!;
        if (this.inCluster[w] === clusterIndex) {
          internalUsd += graph.outUsd[e]!;
          if (this.pairSeen[w] !== token) {
            this.pairSeen[w] = token;
            internalEdges++;
          }
        } else {
          boundaryUsd += graph.outUsd[e]!;
        }
      }
      for (let e = graph.inStart[v]!; e < graph.inStart[v + 1]!; e++) {
        if (this.inCluster[graph.inSource[e]!] !== clusterIndex) boundaryUsd += graph.inUsd[e]!;
      }
    }
    return { internalEdges, internalUsd, boundaryUsd };
  }
}
