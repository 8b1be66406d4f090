/**
 * Chooses which detector candidates become the batch's alerts. Real pipelines emit far more hits
 * than analysts review; this picks `target` of them with a set illicit share, so the positive rate
 * is controlled while the detectors stay the only source of alerts. Benign hits are drawn with
 * weights that favour high rule scores as difficulty grows (more hard negatives), and each rule's
 * weight is damped by the square root of its candidate count (per class) so no single rule (long
 * layering chains yield many hits) swamps the mix.
 */

import type { Rng } from '../random.js';
import type { Candidates } from './detectors.js';
import type { Population } from './population.js';
import { TYPOLOGIES } from './typologies.js';

export interface Selection {
  address: Int32Array;
  rule: Uint8Array;
  score: Float64Array;
  length: number;
}

/**
 * Weighted sampling without replacement (Efraimidis–Spirakis): each item gets key −ln(u)/w and
 * the k smallest keys win. Returns the chosen candidate positions, in ascending order.
 */
function weightedSample(
  rng: Rng,
  items: readonly number[],
  weight: (i: number) => number,
  k: number,
): number[] {
  if (k >= items.length) return [...items];
  const keys = new Float64Array(items.length);
  for (let j = 0; j < items.length; j++) {
    const w = Math.max(1e-9, weight(items[j]));
    keys[j] = -Math.log(1 - rng.next()) / w;
  }
  const order = Array.from({ length: items.length }, (_, j) => j);
  order.sort((x, y) => keys[x] - keys[y] || x - y);
  return order
    .slice(0, k)
    .map((j) => items[j])
    .sort((x, y) => x - y);
}

export function selectAlerts(
  c: Candidates,
  pop: Population,
  rng: Rng,
  target: number,
  illicitShare: number,
  difficulty: number,
): Selection {
  const illicit: number[] = [];
  const benign: number[] = [];
  const perRule = new Float64Array(TYPOLOGIES.length);
  const perRuleIllicit = new Float64Array(TYPOLOGIES.length);
  for (let i = 0; i < c.length; i++) {
    if (pop.role[c.address[i]] > 0) {
      illicit.push(i);
      perRuleIllicit[c.rule[i]]++;
    } else {
      benign.push(i);
      perRule[c.rule[i]]++;
    }
  }
  const wantIllicit = Math.min(illicit.length, Math.round(target * illicitShare));
  // detectors catch blatant schemes first; core launderers more often than their mules
  const chosenIllicit = weightedSample(
    rng,
    illicit,
    (i) =>
      (c.score[i] ** 2 * (pop.role[c.address[i]] === 1 ? 1 : 0.35)) / Math.sqrt(perRuleIllicit[c.rule[i]]),
    wantIllicit,
  );
  const wantBenign = Math.min(benign.length, target - chosenIllicit.length);
  const gamma = 0.5 + 5 * difficulty;
  const chosenBenign = weightedSample(
    rng,
    benign,
    (i) => c.score[i] ** gamma / Math.sqrt(perRule[c.rule[i]]),
    wantBenign,
  );
  const chosen = [...chosenIllicit, ...chosenBenign];
  rng.shuffle(chosen);
  const length = chosen.length;
  const sel: Selection = {
    address: new Int32Array(length),
    rule: new Uint8Array(length),
    score: new Float64Array(length),
    length,
  };
  for (let j = 0; j < length; j++) {
    sel.address[j] = c.address[chosen[j]];
    sel.rule[j] = c.rule[chosen[j]];
    sel.score[j] = c.score[chosen[j]];
  }
  return sel;
}
