/**
 * fast-check arbitraries for batches in their coerced (parsed) form, for property tests of the
 * codecs and integrity checks. Test support only: nothing in the library imports it. Values cover
 * NaN (missing), unicode strings, empty strings and empty lists; -0 only in features, since a JSON
 * row table does not keep the sign of zero.
 */
import fc from 'fast-check';
import type { AddressLabel } from '../schemas/address-label.js';
import type { Alert } from '../schemas/alert.js';
import type { BatchKey } from '../schemas/batch.js';
import type { Cluster } from '../schemas/cluster.js';
import { CORE_FEATURE_COLUMNS } from '../schemas/features.js';
import type { MoneyFlow } from '../schemas/money-flow.js';
import { SEVERITIES } from '../schemas/primitives.js';
import type { Batch, FeatureTable } from './batch.js';
import { withCanonicalColumnOrder } from './feature-table.js';

const noNegZero = (v: number) => v + 0;

export const text = fc.string({ unit: 'grapheme', maxLength: 12 });
export const nonEmptyText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
const optText = fc.option(text, { nil: undefined });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map(noNegZero);
const missingOr = (arb: fc.Arbitrary<number>) => fc.oneof(fc.constant(Number.NaN), arb);
const amount = missingOr(finite);
const unit = missingOr(fc.double({ min: 0, max: 1, noNaN: true }).map(noNegZero));
const int = missingOr(fc.integer({ min: -1_000_000, max: 1_000_000 }).map(noNegZero));
const unixMs = missingOr(fc.integer({ min: 0, max: 4_102_444_800_000 }));
const severity = fc.constantFrom(...SEVERITIES);
const strings = fc.array(text, { maxLength: 4 });
export const isoDate = fc
  .integer({ min: 0, max: 20_000 })
  .map((d) => new Date(Date.UTC(2000, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));

export const batchKeyArb: fc.Arbitrary<BatchKey> = fc.record({
  network: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}$/),
  processing_date: isoDate,
  window_days: fc.integer({ min: 1, max: 3650 }),
});

export const alertArb: fc.Arbitrary<Alert> = fc.record({
  alert_id: text,
  address: nonEmptyText,
  processing_date: fc.option(isoDate, { nil: undefined }),
  window_days: fc.option(fc.integer({ min: 1, max: 3650 }), { nil: undefined }),
  typology_type: text,
  pattern_id: optText,
  pattern_type: optText,
  severity,
  suspected_address_type: text,
  suspected_address_subtype: optText,
  alert_confidence_score: unit,
  description: optText,
  volume_usd: amount,
  evidence_json: optText,
  risk_indicators: strings,
});

export const clusterArb: fc.Arbitrary<Cluster> = fc.record({
  cluster_id: text,
  cluster_type: optText,
  primary_address: optText,
  pattern_id: optText,
  primary_alert_id: optText,
  related_alert_ids: strings,
  addresses_involved: strings,
  total_alerts: int,
  total_volume_usd: amount,
  severity_max: fc.option(severity, { nil: undefined }),
  confidence_avg: unit,
  earliest_alert_timestamp: unixMs,
  latest_alert_timestamp: unixMs,
});

export const moneyFlowArb: fc.Arbitrary<MoneyFlow> = fc.record({
  from_address: nonEmptyText,
  to_address: nonEmptyText,
  tx_count: int,
  amount_usd_sum: amount,
  first_seen_timestamp: unixMs,
  last_seen_timestamp: unixMs,
  active_days: int,
  avg_tx_size_usd: amount,
  unique_assets: int,
  dominant_asset: optText,
  reciprocity_ratio: unit,
  is_bidirectional: fc.boolean(),
});

export const addressLabelArb: fc.Arbitrary<AddressLabel> = fc.record({
  address: nonEmptyText,
  label: text,
  risk_level: severity,
  // a missing confidence is read as 1 (the schema's default weight), so only real values here
  confidence_score: fc.double({ min: 0, max: 1, noNaN: true }).map(noNegZero),
  source: optText,
});

const columnName = fc.oneof(
  fc.constantFrom(...CORE_FEATURE_COLUMNS),
  fc.stringMatching(/^x_[a-z0-9_]{1,12}$/),
  fc.constantFrom('特征_1', 'señal', 'emoji_🙂'),
);
const featureValue = fc.oneof(
  fc.constant(Number.NaN),
  fc.constant(-0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: 0, max: 1000 }),
);

export const featureTableArb: fc.Arbitrary<FeatureTable> = fc
  .tuple(fc.array(nonEmptyText, { maxLength: 12 }), fc.uniqueArray(columnName, { maxLength: 8 }))
  .chain(([address, names]) => {
    const n = address.length;
    // an empty table has no columns in any format (a JSON array of no rows names none)
    const used = n === 0 ? [] : names;
    return fc
      .tuple(...used.map(() => fc.array(featureValue, { minLength: n, maxLength: n })))
      .map((cols): FeatureTable => {
        const columns = new Map<string, Float64Array>();
        used.forEach((name, c) => {
          columns.set(name, Float64Array.from(cols[c]));
        });
        return withCanonicalColumnOrder({ address, columns });
      });
  });

export const batchArb: fc.Arbitrary<Batch> = fc.record({
  key: batchKeyArb,
  alerts: fc.array(alertArb, { maxLength: 8 }),
  features: featureTableArb,
  clusters: fc.array(clusterArb, { maxLength: 5 }),
  money_flows: fc.array(moneyFlowArb, { maxLength: 5 }),
});
