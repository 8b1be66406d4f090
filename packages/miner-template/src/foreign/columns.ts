/**
 * The numeric and boolean feature columns of docs/data-contracts.md, in the upstream table's group order (our
 * generator puts the core set first; a consumer must not care). Each column carries what its
 * missingness depends on, so gaps follow the data (no graph metrics for isolated wallets, no timing
 * for single-transaction wallets) instead of being sprinkled uniformly.
 */
import { CORE_FEATURE_COLUMNS } from '../schemas/features.js';
import type { ForeignStyle } from './formats.js';
import type { Rng } from './rng.js';

/** Why a cell can be structurally missing. */
export type Needs = 'none' | 'in' | 'out' | 'two_tx' | 'three_tx' | 'graph' | 'variance';

export interface ColumnSpec {
  name: string;
  usd: boolean;
  needs: Needs;
}

const c = (name: string, needs: Needs = 'none', usd = false): ColumnSpec => ({ name, usd, needs });

export const UPSTREAM_COLUMNS: readonly ColumnSpec[] = [
  // topology
  c('degree_in'),
  c('degree_out'),
  c('degree_total'),
  c('unique_counterparties'),
  // volume
  c('total_in_usd', 'none', true),
  c('total_out_usd', 'none', true),
  c('net_flow_usd', 'none', true),
  c('total_volume_usd', 'none', true),
  c('avg_tx_in_usd', 'in', true),
  c('avg_tx_out_usd', 'out', true),
  c('median_tx_in_usd', 'in', true),
  c('median_tx_out_usd', 'out', true),
  c('max_tx_usd', 'none', true),
  c('min_tx_usd', 'none', true),
  // distribution
  c('amount_variance', 'two_tx'),
  c('amount_skewness', 'variance'),
  c('amount_kurtosis', 'variance'),
  c('volume_std', 'two_tx', true),
  c('volume_cv', 'two_tx'),
  c('flow_concentration'),
  // counts
  c('tx_in_count'),
  c('tx_out_count'),
  c('tx_total_count'),
  // time
  c('activity_days'),
  c('activity_span_days', 'two_tx'),
  c('avg_daily_volume_usd', 'none', true),
  c('peak_hour'),
  c('peak_day'),
  c('regularity_score', 'three_tx'),
  c('burst_factor', 'two_tx'),
  // flow
  c('reciprocity_ratio'),
  c('flow_diversity'),
  c('counterparty_concentration'),
  c('concentration_ratio'),
  c('velocity_score'),
  c('structuring_score'),
  // assets
  c('unique_assets_in'),
  c('unique_assets_out'),
  c('asset_diversity_score'),
  // behaviour
  c('peak_activity_hour'),
  c('peak_activity_day'),
  c('hourly_entropy', 'two_tx'),
  c('daily_entropy', 'two_tx'),
  c('weekend_transaction_ratio'),
  c('night_transaction_ratio'),
  c('small_transaction_ratio'),
  c('consistency_score', 'three_tx'),
  // graph
  c('pagerank', 'graph'),
  c('betweenness', 'graph'),
  c('closeness', 'graph'),
  c('clustering_coefficient', 'graph'),
  c('kcore', 'graph'),
  c('community_id', 'graph'),
  c('centrality_score', 'graph'),
  c('khop1_count'),
  c('khop2_count', 'graph'),
  c('khop3_count', 'graph'),
  c('khop1_volume_usd', 'none', true),
  c('khop2_volume_usd', 'graph', true),
  c('khop3_volume_usd', 'graph', true),
  // advanced flow
  c('flow_reciprocity_entropy'),
  c('counterparty_stability', 'two_tx'),
  c('flow_burstiness', 'three_tx'),
  c('transaction_regularity', 'three_tx'),
  c('amount_predictability', 'three_tx'),
  // anomaly
  c('behavioral_anomaly_score'),
  c('graph_anomaly_score', 'graph'),
  c('neighborhood_anomaly_score', 'graph'),
  c('global_anomaly_score'),
  c('outlier_transactions'),
  c('suspicious_pattern_score'),
  // flags
  c('is_exchange_like'),
  c('is_whale'),
  c('is_mixer_like'),
  c('is_contract_like'),
  c('is_new_address'),
  c('is_dormant_reactivated'),
  c('is_high_volume_trader'),
  c('is_hub_address'),
  c('is_retail_active'),
  c('is_whale_inactive'),
  c('is_retail_inactive'),
  c('is_regular_user'),
  // more
  c('unique_recipients_count'),
  c('unique_senders_count'),
  c('completeness_score'),
  c('quality_score'),
  c('outlier_score'),
  c('confidence_score'),
  c('first_activity_timestamp'),
  c('last_activity_timestamp'),
];

const CORE = new Set<string>(CORE_FEATURE_COLUMNS);

export function isCoreColumn(name: string): boolean {
  return CORE.has(name);
}

/** Columns whose value is a count or a known fact: upstream never drops these at random. */
const NEVER_RANDOMLY_MISSING = new Set([
  'degree_in',
  'degree_out',
  'degree_total',
  'unique_counterparties',
  'tx_in_count',
  'tx_out_count',
  'tx_total_count',
  'total_in_usd',
  'total_out_usd',
  'total_volume_usd',
  'net_flow_usd',
  'khop1_count',
  'first_activity_timestamp',
  'last_activity_timestamp',
]);

export function canGoMissing(name: string): boolean {
  return !NEVER_RANDOMLY_MISSING.has(name);
}

/** The columns a style emits: the core set always, and for 'core+some' a seeded ~45% of the rest. */
export function chooseColumns(style: ForeignStyle, rng: Rng): ColumnSpec[] {
  if (style.featureColumns === 'all') return [...UPSTREAM_COLUMNS];
  if (style.featureColumns === 'core') return UPSTREAM_COLUMNS.filter((col) => CORE.has(col.name));
  return UPSTREAM_COLUMNS.filter((col) => CORE.has(col.name) || rng.chance(0.45));
}
