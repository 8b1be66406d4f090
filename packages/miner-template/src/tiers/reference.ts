/**
 * The reference miner (docs/validator.md, "Reference"): what every miner must beat is the upstream
 * detector's own `alert_confidence_score`. Its answer is the confidence's percentile rank, with
 * ties (and missing confidences, placed at the median) broken by a seeded hash of the alert id.
 * Ranks keep exactly the detector's ordering, so AUC and AP are the detector's; breaking ties and
 * spreading the values gives the reference full tier-2 behaviour credit, so no miner can get
 * ahead of it through spread alone, without any skill. Pure and deterministic in the seed.
 */
import type { Alert } from '../schemas/alert.js';

export const REFERENCE_MODEL_VERSION = 'reference:alert_confidence_score';

function hash32(text: string, seed: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/** One score in (0, 1) per alert, in alert order. */
export function referenceScores(
  alerts: readonly Pick<Alert, 'alert_id' | 'alert_confidence_score'>[],
  seed = 0,
): Float64Array {
  const n = alerts.length;
  const present = alerts
    .map((a) => a.alert_confidence_score)
    .filter((c): c is number => typeof c === 'number' && Number.isFinite(c))
    .sort((x, y) => x - y);
  const fallback = present.length > 0 ? present[present.length >> 1] : 0.5;
  const key = alerts.map((a) => {
    const c = a.alert_confidence_score;
    return typeof c === 'number' && Number.isFinite(c) ? c : fallback;
  });
  const tie = alerts.map((a) => hash32(a.alert_id, seed));
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => key[a] - key[b] || tie[a] - tie[b] || a - b,
  );
  const out = new Float64Array(n);
  order.forEach((row, rank) => {
    out[row] = (rank + 0.5) / n;
  });
  return out;
}
