/**
 * Cluster-relative family: where a cluster stands among the batch's clusters (percentile ranks of
 * its volumes) and how much of its money stays inside it. Ranks and shares do not move when a
 * producer reports amounts on another scale or with other rounding, which raw USD columns do.
 * Computed from the cluster matrix's own columns after they are filled.
 */
import { columnAt } from './matrix.js';
import { percentileRanks } from './stats.js';
import type { FeatureMatrix } from './types.js';

export const CLUSTER_RELATIVE_COLUMNS: readonly string[] = [
  'cluster_volume_pct_rank',
  'members_volume_pct_rank',
  'cluster_flow_internal_usd_pct_rank',
  'cluster_flow_internal_usd_share',
];

/** Fills CLUSTER_RELATIVE_COLUMNS, starting at column `offset`, from the named source columns. */
export function writeClusterRelative(matrix: FeatureMatrix, offset: number): void {
  const source = (name: string) => columnAt(matrix, matrix.names.indexOf(name));
  const internal = source('cluster_flow_internal_usd');
  const boundary = source('cluster_flow_boundary_usd');
  const ranks = [
    percentileRanks(source('cluster_log1p_total_volume_usd')),
    percentileRanks(source('members_volume_usd_total')),
    percentileRanks(internal),
  ];
  const stride = matrix.names.length;
  for (let r = 0; r < matrix.numRows; r++) {
    const base = r * stride + offset;
    for (let k = 0; k < ranks.length; k++) matrix.values[base + k] = ranks[k]![r]!;
    const total = internal[r]! + boundary[r]!;
    matrix.values[base + 3] = total > 0 ? internal[r]! / total : Number.NaN;
  }
}
