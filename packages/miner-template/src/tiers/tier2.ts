/**
 * Tier 2, traps and behaviour (docs/validator.md, "Tier 2"):
 *   t2 = 0.5 · max(0, 2·AUC_traps − 1) + 0.5 · behaviour
 * behaviour starts at 1 and loses 1/2 for near-constant scores (variance < 0.001) and 1/2 for
 * coarse scores (fewer than min(50, n/20) distinct values). There is deliberately no median rule:
 * a calibrated scorer on a batch with 15 % positives has a median far below 0.1, and that is right.
 * Copies are judged across miners (copies.ts) and zero the whole cycle, so they are not an input
 * here. Pure.
 */
import { auc } from '../gbdt/metric/auc.js';
import { variance } from './stats.js';

export const TIER2_MIN_VARIANCE = 0.001;
/** Distinct values a non-coarse answer needs: min(TIER2_MIN_DISTINCT, n / TIER2_DISTINCT_PER). */
export const TIER2_MIN_DISTINCT = 50;
export const TIER2_DISTINCT_PER = 20;

export interface Tier2Input {
  /** Scores aligned with alertIds (a tier-1 passer's answer). */
  alertIds: readonly string[];
  scores: ArrayLike<number>;
  /** Truth of the traps in the request: alert_id → 1 (laundering) or 0 (benign). */
  trapTruth: ReadonlyMap<string, 0 | 1>;
}

export interface Tier2Result {
  t2: number;
  /** AUC over the traps; NaN when the traps lack a class or none were answered. */
  trapAuc: number;
  /** max(0, 2·AUC − 1): the trap half with chance removed (0 when the AUC is NaN). */
  trapComponent: number;
  behaviour: number;
  trapsScored: number;
  variance: number;
  distinct: number;
  /** Distinct values the answer needed to not be coarse. */
  distinctRequired: number;
  flags: { nearConstant: boolean; coarse: boolean };
}

export function distinctRequired(n: number): number {
  return Math.min(TIER2_MIN_DISTINCT, Math.floor(n / TIER2_DISTINCT_PER));
}

function countDistinct(xs: ArrayLike<number>): number {
  const seen = new Set<number>();
  for (let i = 0; i < xs.length; i++) seen.add(xs[i]);
  return seen.size;
}

export function checkTier2(input: Tier2Input): Tier2Result {
  const { alertIds, scores, trapTruth } = input;
  const trapScores: number[] = [];
  const trapLabels: number[] = [];
  for (let i = 0; i < alertIds.length; i++) {
    const truth = trapTruth.get(alertIds[i]);
    if (truth === undefined) continue;
    trapScores.push(scores[i]);
    trapLabels.push(truth);
  }
  const trapAuc = trapScores.length > 0 ? auc(trapScores, trapLabels) : Number.NaN;
  const trapComponent = Number.isNaN(trapAuc) ? 0 : Math.max(0, 2 * trapAuc - 1);

  const v = variance(scores);
  const distinct = countDistinct(scores);
  const required = distinctRequired(scores.length);
  const nearConstant = !(v >= TIER2_MIN_VARIANCE);
  const coarse = distinct < required;
  const behaviour = 1 - 0.5 * Number(nearConstant) - 0.5 * Number(coarse);
  return {
    t2: 0.5 * trapComponent + 0.5 * behaviour,
    trapAuc,
    trapComponent,
    behaviour,
    trapsScored: trapScores.length,
    variance: v,
    distinct,
    distinctRequired: required,
    flags: { nearConstant, coarse },
  };
}
