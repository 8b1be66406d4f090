/**
 * Batch-relative family: where an alert stands among the other alerts of the same batch (its
 * volume and confidence percentile and z-score) and how many alerts share its address. These
 * carry information a single row cannot, and they are invariant to batch-wide unit shifts.
 */
import type { Alert } from '../schemas/alert.js';
import { percentileRanks, zScores } from './stats.js';
import type { FeatureMatrix } from './types.js';
import { signedLog1p } from './vocabulary.js';

export const BATCH_RELATIVE_COLUMNS: readonly string[] = [
  'batch_volume_pct_rank',
  'batch_log_volume_zscore',
  'batch_confidence_pct_rank',
  'batch_confidence_zscore',
  'same_address_alert_count',
  'same_address_typology_count',
];

/** Fills BATCH_RELATIVE_COLUMNS, starting at column `offset`. */
export function writeBatchRelative(alerts: readonly Alert[], matrix: FeatureMatrix, offset: number): void {
  const n = alerts.length;
  const volume = new Float64Array(n);
  const logVolume = new Float64Array(n);
  const confidence = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    volume[r] = alerts[r]!.volume_usd;
    logVolume[r] = signedLog1p(alerts[r]!.volume_usd);
    confidence[r] = alerts[r]!.alert_confidence_score;
  }
  const columns = [
    percentileRanks(volume),
    zScores(logVolume),
    percentileRanks(confidence),
    zScores(confidence),
  ];

  // Per-address counts: alerts on the address, and distinct (normalised) typology texts among them.
  // Addresses and typologies are interned to ints so the distinct-pair set holds numbers.
  const addressIds = new Map<string, number>();
  const typologyIds = new Map<string, number>();
  const addressOf = new Int32Array(n);
  const pairs = new Set<number>();
  for (let r = 0; r < n; r++) {
    const alert = alerts[r]!;
    let a = addressIds.get(alert.address);
    if (a === undefined) {
      a = addressIds.size;
      addressIds.set(alert.address, a);
    }
    const typology = alert.typology_type.trim().toLowerCase();
    let t = typologyIds.get(typology);
    if (t === undefined) {
      t = typologyIds.size;
      typologyIds.set(typology, t);
    }
    addressOf[r] = a;
    pairs.add(a * n + t);
  }
  const alertCount = new Float64Array(addressIds.size);
  for (let r = 0; r < n; r++) alertCount[addressOf[r]!]!++;
  const typologyCount = new Float64Array(addressIds.size);
  for (const key of pairs) typologyCount[Math.floor(key / n)]!++;

  const stride = matrix.names.length;
  const values = matrix.values;
  for (let r = 0; r < n; r++) {
    const base = r * stride + offset;
    for (let k = 0; k < columns.length; k++) values[base + k] = columns[k]![r]!;
    values[base + 4] = alertCount[addressOf[r]!]!;
    values[base + 5] = typologyCount[addressOf[r]!]!;
  }
}
