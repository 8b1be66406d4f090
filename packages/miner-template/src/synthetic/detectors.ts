/**
 * Detector rules: what an analytics pipeline runs over features and flows to raise alerts. Each
 * rule scores every address in [0, 1] for one typology from observable data only (never the
 * truth), so rules fire on illicit and benign addresses alike. Exchanges and mixers are known
 * public entities (tagged), everything else is judged on behaviour.
 */

import type { FlowTable } from './flows.js';
import { KIND, type Population } from './population.js';
import type { DetectorColumn } from './row-layout.js';
import { TYPOLOGIES } from './typologies.js';

export type DetectorData = Record<DetectorColumn, Float64Array>;

/** Minimum rule score for an address to become an alert candidate. */
export const CANDIDATE_THRESHOLD = 0.25;
/** Looser threshold used when the strict one yields too few hits for the alert target. */
export const FALLBACK_THRESHOLD = 0.1;

export interface Candidates {
  length: number;
  address: Int32Array;
  rule: Uint8Array;
  score: Float64Array;
}

function sat(x: number, lo: number, hi: number): number {
  if (!(x > lo)) return 0;
  return x >= hi ? 1 : (x - lo) / (hi - lo);
}

/**
 * Bounded depth-first search for a directed cycle back to `a` of length <= maxDepth, skipping
 * high-fan-out hubs past the first hop; gives up after `budget` expansions (then: not found).
 */
export function findCycleLength(flows: FlowTable, a: number, maxDepth = 6, budget = 2_000): number {
  let expansions = 0;
  const path: number[] = [a];
  const dfs = (v: number, depth: number): number => {
    for (let k = flows.outOffsets[v]; k < flows.outOffsets[v + 1]; k++) {
      if (++expansions > budget) return 0;
      const u = flows.to[flows.outFlows[k]];
      if (u === a) return depth >= 2 ? depth : 0;
      if (depth >= maxDepth || path.includes(u)) continue;
      if (flows.outOffsets[u + 1] - flows.outOffsets[u] > 12) continue;
      path.push(u);
      const found = dfs(u, depth + 1);
      path.pop();
      if (found > 0) return found;
    }
    return 0;
  };
  return dfs(a, 1);
}

/** Scores of every rule (in TYPOLOGIES order) for address a, written into `out`. */
export function ruleScores(
  d: DetectorData,
  flows: FlowTable,
  pop: Population,
  a: number,
  windowDays: number,
  out: Float64Array,
): void {
  out.fill(0);
  const dIn = d.degree_in[a];
  const dOut = d.degree_out[a];
  const total = d.total_volume_usd[a];
  const burst = sat(d.burst_factor[a], 1.5, windowDays * 0.8);
  const hold = d.mean_hold_hours[a];
  const fastHold = Number.isNaN(hold) ? 0 : 1 - sat(Math.max(0, hold), 1, 48);
  const kind = pop.kind[a];
  const isMixer = kind === KIND.mixer;
  // fan_in: many senders, small amounts, in a burst
  if (dIn >= 5) {
    out[1] =
      0.45 * sat(dIn, 5, 30) +
      0.25 * burst +
      0.15 * sat(d.max_txs_per_hour[a], 2, 10) +
      0.15 * (d.avg_tx_in_usd[a] < 2_000 ? 1 : 0.3);
  }
  // fan_out: many recipients in a burst
  if (dOut >= 5) {
    out[2] =
      0.45 * sat(dOut, 5, 30) + 0.25 * burst + 0.15 * sat(d.max_txs_per_hour[a], 2, 10) + 0.15 * fastHold;
  }
  const pass = d.pass_through_ratio[a];
  const unique = d.unique_counterparties[a];
  // layering: funds pass straight through a low-degree address
  if (pass >= 0.8 && unique <= 6 && !isMixer) {
    out[0] = 0.4 * pass + 0.3 * fastHold + 0.15 * d.is_new_address[a] + 0.15 * sat(total, 5_000, 100_000);
  }
  // cycle: money comes back to where it started
  if (dOut >= 1 && dIn >= 1 && dOut <= 12) {
    const len = findCycleLength(flows, a);
    out[3] =
      len > 0
        ? 0.55 + 0.2 * (len <= 4 ? 1 : 0.5) + 0.25 * d.velocity_score[a]
        : 0.45 * d.reciprocity_ratio[a] * sat(d.bidirectional_counterparties[a], 0, 2);
  }
  // peel chain: one large onward payment plus one small peel, fast
  if (dOut >= 2 && dOut <= 3 && dIn <= 2 && pass >= 0.85) {
    const conc = d.out_counterparty_concentration[a];
    out[4] = 0.35 * pass + 0.35 * (conc >= 0.7 && conc <= 0.985 ? 1 : 0) + 0.3 * fastHold;
  }
  // structuring: repeated amounts just under the reporting threshold
  const near = d.near_threshold_count[a];
  if (near >= 2) out[5] = 0.5 * sat(near, 2, 12) + 0.5 * Math.min(1, d.structuring_score[a] * 1.5);
  // mixer interaction: value to or from a known mixer
  const mix = d.mixer_volume_usd[a];
  if (mix > 0 && !isMixer) {
    out[6] = 0.45 + 0.35 * sat(mix / Math.max(1, total), 0.05, 0.8) + 0.2 * d.is_new_address[a];
  }
}

/** Runs every rule over every address; keeps (address, rule, score) at or above the threshold. */
export function runDetectors(
  d: DetectorData,
  flows: FlowTable,
  pop: Population,
  windowDays: number,
  threshold = CANDIDATE_THRESHOLD,
): Candidates {
  const n = pop.length;
  let cap = 1024;
  let address = new Int32Array(cap);
  let rule = new Uint8Array(cap);
  let score = new Float64Array(cap);
  let length = 0;
  const scores = new Float64Array(TYPOLOGIES.length);
  for (let a = 0; a < n; a++) {
    if (d.tx_total_count[a] === 0) continue;
    ruleScores(d, flows, pop, a, windowDays, scores);
    for (let r = 0; r < scores.length; r++) {
      if (scores[r] < threshold || scores[r] === 0) continue;
      if (length === cap) {
        cap *= 2;
        const a2 = new Int32Array(cap);
        a2.set(address);
        address = a2;
        const r2 = new Uint8Array(cap);
        r2.set(rule);
        rule = r2;
        const s2 = new Float64Array(cap);
        s2.set(score);
        score = s2;
      }
      address[length] = a;
      rule[length] = r;
      score[length] = Math.min(1, scores[r]);
      length++;
    }
  }
  return { length, address, rule, score };
}
