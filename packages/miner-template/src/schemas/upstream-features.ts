/**
 * The upstream `analyzers_features` table (docs/data-contracts.md), column for column: each column's wire type,
 * its group and whether it is in the core set every producer should fill. This zod object is the
 * single source of the column lists (core, numeric, per group) used by the generator, the feature
 * builder and the coverage report; nothing else spells them out.
 */
import { z } from 'zod';
import { booleanLike, optionalDecimal, optionalInteger, optionalUnitInterval } from './primitives.js';

export const FEATURE_GROUPS = [
  'topology',
  'volume',
  'distribution',
  'counts',
  'time',
  'flow',
  'assets',
  'behaviour',
  'graph',
  'advanced_flow',
  'anomaly',
  'flags',
  'more',
] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

/** How a column reads: numeric kinds reach the models; text and arrays are not model input. */
export type UpstreamColumnKind =
  | 'count'
  | 'usd'
  | 'number'
  | 'unit'
  | 'flag'
  | 'timestamp'
  | 'text'
  | 'int_array';

export interface ColumnMeta {
  group: FeatureGroup;
  core: boolean;
  kind: UpstreamColumnKind;
}

const WIRE: Record<UpstreamColumnKind, z.ZodType> = {
  count: optionalInteger,
  usd: optionalDecimal,
  number: optionalDecimal,
  unit: optionalUnitInterval,
  flag: z.union([booleanLike, z.null()]).optional(),
  timestamp: optionalInteger,
  text: z.union([z.string(), z.null()]).optional(),
  int_array: z.union([z.array(z.number().int()), z.null()]).optional(),
};

// One registry so the metadata stays attached to these exact schema instances.
export const upstreamColumnRegistry = z.registry<ColumnMeta>();

function col(kind: UpstreamColumnKind, group: FeatureGroup, core = false): z.ZodType {
  const schema = WIRE[kind].clone();
  upstreamColumnRegistry.add(schema, { group, core, kind });
  return schema;
}

export const UpstreamFeatureColumnsSchema = z.object({
  degree_in: col('count', 'topology', true),
  degree_out: col('count', 'topology', true),
  degree_total: col('count', 'topology', true),
  unique_counterparties: col('count', 'topology', true),
  total_in_usd: col('usd', 'volume', true),
  total_out_usd: col('usd', 'volume', true),
  net_flow_usd: col('usd', 'volume', true),
  total_volume_usd: col('usd', 'volume', true),
  avg_tx_in_usd: col('usd', 'volume', true),
  avg_tx_out_usd: col('usd', 'volume', true),
  median_tx_in_usd: col('usd', 'volume'),
  median_tx_out_usd: col('usd', 'volume'),
  max_tx_usd: col('usd', 'volume', true),
  min_tx_usd: col('usd', 'volume'),
  amount_variance: col('number', 'distribution'),
  amount_skewness: col('number', 'distribution'),
  amount_kurtosis: col('number', 'distribution'),
  volume_std: col('usd', 'distribution'),
  volume_cv: col('number', 'distribution'),
  flow_concentration: col('unit', 'distribution', true),
  tx_in_count: col('count', 'counts', true),
  tx_out_count: col('count', 'counts', true),
  tx_total_count: col('count', 'counts', true),
  activity_days: col('count', 'time', true),
  activity_span_days: col('number', 'time', true),
  avg_daily_volume_usd: col('usd', 'time', true),
  peak_hour: col('count', 'time'),
  peak_day: col('count', 'time'),
  regularity_score: col('unit', 'time', true),
  burst_factor: col('number', 'time', true),
  reciprocity_ratio: col('unit', 'flow', true),
  flow_diversity: col('number', 'flow'),
  counterparty_concentration: col('unit', 'flow'),
  concentration_ratio: col('unit', 'flow'),
  velocity_score: col('unit', 'flow', true),
  structuring_score: col('unit', 'flow', true),
  unique_assets_in: col('count', 'assets'),
  unique_assets_out: col('count', 'assets'),
  dominant_asset_in: col('text', 'assets'),
  dominant_asset_out: col('text', 'assets'),
  asset_diversity_score: col('unit', 'assets'),
  hourly_activity: col('int_array', 'behaviour'),
  daily_activity: col('int_array', 'behaviour'),
  peak_activity_hour: col('count', 'behaviour'),
  peak_activity_day: col('count', 'behaviour'),
  hourly_entropy: col('number', 'behaviour', true),
  daily_entropy: col('number', 'behaviour'),
  weekend_transaction_ratio: col('unit', 'behaviour'),
  night_transaction_ratio: col('unit', 'behaviour', true),
  small_transaction_ratio: col('unit', 'behaviour', true),
  consistency_score: col('unit', 'behaviour'),
  pagerank: col('number', 'graph', true),
  betweenness: col('number', 'graph', true),
  closeness: col('number', 'graph', true),
  clustering_coefficient: col('unit', 'graph', true),
  kcore: col('count', 'graph', true),
  community_id: col('count', 'graph'),
  centrality_score: col('number', 'graph'),
  khop1_count: col('count', 'graph', true),
  khop2_count: col('count', 'graph', true),
  khop3_count: col('count', 'graph'),
  khop1_volume_usd: col('usd', 'graph', true),
  khop2_volume_usd: col('usd', 'graph'),
  khop3_volume_usd: col('usd', 'graph'),
  flow_reciprocity_entropy: col('number', 'advanced_flow'),
  counterparty_stability: col('unit', 'advanced_flow'),
  flow_burstiness: col('number', 'advanced_flow'),
  transaction_regularity: col('unit', 'advanced_flow'),
  amount_predictability: col('unit', 'advanced_flow'),
  behavioral_anomaly_score: col('unit', 'anomaly', true),
  graph_anomaly_score: col('unit', 'anomaly', true),
  neighborhood_anomaly_score: col('unit', 'anomaly'),
  global_anomaly_score: col('unit', 'anomaly'),
  outlier_transactions: col('count', 'anomaly'),
  suspicious_pattern_score: col('unit', 'anomaly'),
  is_exchange_like: col('flag', 'flags', true),
  is_whale: col('flag', 'flags'),
  is_mixer_like: col('flag', 'flags', true),
  is_contract_like: col('flag', 'flags', true),
  is_new_address: col('flag', 'flags', true),
  is_dormant_reactivated: col('flag', 'flags', true),
  is_high_volume_trader: col('flag', 'flags'),
  is_hub_address: col('flag', 'flags'),
  is_retail_active: col('flag', 'flags'),
  is_whale_inactive: col('flag', 'flags'),
  is_retail_inactive: col('flag', 'flags'),
  is_regular_user: col('flag', 'flags'),
  unique_recipients_count: col('count', 'more'),
  unique_senders_count: col('count', 'more'),
  completeness_score: col('unit', 'more'),
  quality_score: col('unit', 'more'),
  outlier_score: col('unit', 'more'),
  confidence_score: col('unit', 'more'),
  first_activity_timestamp: col('timestamp', 'more'),
  last_activity_timestamp: col('timestamp', 'more'),
});

export type UpstreamFeatureColumn = keyof typeof UpstreamFeatureColumnsSchema.shape;

/** Every upstream column with its metadata, in the upstream table's order. */
export const UPSTREAM_COLUMNS: readonly ({ name: UpstreamFeatureColumn } & ColumnMeta)[] = Object.entries(
  UpstreamFeatureColumnsSchema.shape,
).map(([name, schema]) => ({
  name: name as UpstreamFeatureColumn,
  ...(upstreamColumnRegistry.get(schema) as ColumnMeta),
}));

const NON_NUMERIC: ReadonlySet<UpstreamColumnKind> = new Set(['text', 'int_array']);

/** The columns a features table can carry as numbers (text and array columns are not model input). */
export const UPSTREAM_NUMERIC_COLUMNS: readonly UpstreamFeatureColumn[] = UPSTREAM_COLUMNS.filter(
  (c) => !NON_NUMERIC.has(c.kind),
).map((c) => c.name);

/** The core set (marked core in docs/data-contracts.md), in the upstream table's order. */
export const UPSTREAM_CORE_COLUMNS: readonly UpstreamFeatureColumn[] = UPSTREAM_COLUMNS.filter(
  (c) => c.core,
).map((c) => c.name);

const META_BY_NAME: ReadonlyMap<string, ColumnMeta> = new Map(UPSTREAM_COLUMNS.map((c) => [c.name, c]));

/** The metadata of an upstream column, or undefined for a column upstream does not define. */
export function upstreamColumnMeta(name: string): ColumnMeta | undefined {
  return META_BY_NAME.get(name);
}

/** The numeric columns of one group, in the upstream table's order. */
export function columnsOfGroup(group: FeatureGroup): UpstreamFeatureColumn[] {
  return UPSTREAM_COLUMNS.filter((c) => c.group === group && !NON_NUMERIC.has(c.kind)).map((c) => c.name);
}
