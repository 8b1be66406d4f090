/**
 * Descriptions of the wire fields, by name, filled into the OpenAPI document where the zod schema
 * carries none. One table here rather than a `.describe()` on every schema field: most fields
 * appear in several tables and routes (alert_id, address, window_days, ...) and mean the same in
 * each, and the transforms on the schemas (decimal strings, null to NaN) would hide a describe from
 * the JSON Schema anyway. The Swagger UI at /docs and docs/api-reference.md both read it; a test
 * fails when a field of the reference is left without a description.
 */

export const FIELD_DESCRIPTIONS: Readonly<Record<string, string>> = {
  // batch tables
  alerts: 'the `alerts` table of the batch: one row per alert to score',
  features:
    'the `features` table: one row of numeric behaviour columns per address (columns beyond `address` are free-form numbers; see docs/features.md)',
  clusters: 'the `clusters` table: groups of related alerts',
  money_flows: 'the `money_flows` table: aggregated transfers between two addresses (optional)',
  batch_arrow:
    'the four tables instead as base64 of the gzip-compressed Arrow container (docs/protocol.md); the JSON tables are then empty or absent',
  explain: 'false: answer without explain_json (no TreeSHAP); default true',
  // alerts
  alert_id: 'unique id of the alert within the batch',
  address: 'blockchain address the row is about',
  processing_date: 'date the batch was produced, YYYY-MM-DD (UTC)',
  window_days: 'length in days of the window the batch covers, ending on processing_date',
  typology_type: 'detected typology, e.g. layering, fan_in, peel_chain (free text; unknown when absent)',
  pattern_id: 'id of the detected pattern instance this row belongs to',
  pattern_type: 'kind of detected pattern',
  suspected_address_type:
    'what the detector thinks the address is, e.g. exchange, mixer (unknown when absent)',
  suspected_address_subtype: 'finer classification of suspected_address_type',
  alert_confidence_score: "the detector's own confidence in [0, 1]",
  description: 'human-readable summary written by the detector',
  volume_usd: 'USD volume involved in the alert',
  evidence_json: 'detector evidence, as a JSON object or its JSON string',
  risk_indicators: 'risk indicator names, as an array or a JSON-encoded array',
  // clusters
  cluster_id: 'unique id of the cluster within the batch',
  cluster_type: 'kind of cluster, e.g. same_entity or flow_chain',
  primary_address: 'the address the cluster is centred on',
  primary_alert_id: 'the alert the cluster was built around',
  related_alert_ids: 'ids of the alerts in the cluster',
  addresses_involved: 'addresses in the cluster',
  total_alerts: 'number of alerts in the cluster',
  total_volume_usd: 'total USD volume (of the cluster, or of the address over the window)',
  confidence_avg: "mean detector confidence of the cluster's alerts, in [0, 1]",
  earliest_alert_timestamp: 'time of the earliest alert in the cluster, unix ms',
  latest_alert_timestamp: 'time of the latest alert in the cluster, unix ms',
  // money flows
  from_address: 'sending address',
  to_address: 'receiving address',
  tx_count: 'number of transfers in the window',
  amount_usd_sum: 'total USD moved in the window',
  first_seen_timestamp: 'first transfer in the window, unix ms',
  last_seen_timestamp: 'last transfer in the window, unix ms',
  active_days: 'days with at least one transfer',
  avg_tx_size_usd: 'mean USD size of a transfer',
  unique_assets: 'number of distinct assets moved',
  dominant_asset: 'the asset that carries most of the volume',
  reciprocity_ratio: 'share of the volume that flows back the other way, in [0, 1]',
  is_bidirectional: 'whether transfers go both ways (true/false, 0/1 or their strings)',
  // responses
  score:
    'model score; for /score routes a probability-like value in [0, 1], for /rank/alerts the ranking score (higher ranks first)',
  rank: '1-based position in the ranking, 1 = most suspicious',
  model_version: 'version of the model that produced the score',
  latency_ms: 'time spent scoring the batch, in milliseconds, divided over its rows',
  explain_json:
    'JSON string: top TreeSHAP contributions (log-odds) and the base value; absent when the request said explain: false',
  status: '`healthy` when every model is loaded, otherwise `degraded`',
  models_loaded: 'which models are loaded',
  alert_scorer: 'the alert scorer (POST /score/alerts)',
  alert_ranker: 'the alert ranker (POST /rank/alerts)',
  cluster_scorer: 'the cluster scorer (POST /score/clusters)',
  uptime_s: 'seconds since the server started',
  api_version: 'version of this HTTP contract',
  model_versions: 'version of each loaded model, null when not loaded',
  accepts: 'what the API reads besides plain JSON; a front end (the axon proxy) advertises no more',
  batch_arrow_codecs: 'batch_arrow codecs the API decodes: gzip (the protocol default), br',
  request_codings: 'Content-Encoding values the API decodes on a request body; empty: plain bodies only',
  error: 'stable error code, AML_ERR_<AREA>_<WHAT> (docs/errors.md)',
  message: 'what went wrong, in one line',
  details: 'structured details when there are some: offending ids, paths or fields',
};

/** Examples the UI would otherwise invent from a pattern (a processing_date of "5258-53-47"). */
const FIELD_EXAMPLES: Readonly<Record<string, unknown>> = {
  processing_date: '2026-01-15',
};

type Json = Record<string, unknown>;

function visit(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Json;
  const properties = obj.properties as Record<string, Json> | undefined;
  if (properties && typeof properties === 'object') {
    for (const [name, prop] of Object.entries(properties)) {
      if (prop === null || typeof prop !== 'object') continue;
      if (!prop.description && FIELD_DESCRIPTIONS[name]) prop.description = FIELD_DESCRIPTIONS[name];
      if (prop.example === undefined && FIELD_EXAMPLES[name] !== undefined)
        prop.example = FIELD_EXAMPLES[name];
    }
  }
  for (const value of Object.values(obj)) visit(value);
}

/** Fills missing field descriptions (and a few examples) throughout an OpenAPI document, in place. */
export function describeFields<T>(openapiObject: T): T {
  visit(openapiObject);
  return openapiObject;
}
