/**
 * Tier 2, behaviour and pattern traps (SPEC §3):
 *   t2 = 0.5 · max(0, 2·AUC_traps − 1) + 0.5 · behaviour
 * behaviour starts at 1 and loses 1/3 for each of: near-constant scores (variance < 0.001), a
 * median outside [0.1, 0.9], plagiarism. A plagiarising miner gets t2 = 0 outright. Plagiarism is a
 * cross-miner verdict (see plagiarism.ts); this module takes it as an input. Pure.
 */
import { auc } from '../gbdt/metric/auc.js';
import { median, variance } from './stats.js';

export const TIER2_MIN_VARIANCE = 0.001;
export const TIER2_MEDIAN_RANGE = [0.1, 0.9] as const;

export interface Tier2Input {
  /** Scores aligned with alertIds (a tier-1 passer's answer). */
  alertIds: readonly string[];
  scores: ArrayLike<number>;
  /** Truth of the traps planted in the batch: alert_id → 1 (planted laundering) or 0 (benign). */
  trapTruth: ReadonlyMap<string, 0 | 1>;
  plagiarised?: boolean;
}

export interface Tier2Result {
  t2: number;
  /** AUC over the traps; NaN when the traps lack a class or none were answered. */
  trapAuc: number;
  trapComponent: number;
  behaviour: number;
  trapsScored: number;
  variance: number;
  median: number;
  flags: { nearConstant: boolean; medianOutOfRange: boolean; plagiarised: boolean };
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
  const m = median(scores);
  const nearConstant = !(v >= TIER2_MIN_VARIANCE);
  const medianOutOfRange = !(m >= TIER2_MEDIAN_RANGE[0] && m <= TIER2_MEDIAN_RANGE[1]);
  const plagiarised = input.plagiarised === true;
  const penalties = Number(nearConstant) + Number(medianOutOfRange) + Number(plagiarised);
  const behaviour = Math.max(0, 1 - penalties / 3);
  const t2 = plagiarised ? 0 : 0.5 * trapComponent + 0.5 * behaviour;
  return {
    t2,
    trapAuc,
    trapComponent,
    behaviour,
    trapsScored: trapScores.length,
    variance: v,
    median: m,
    flags: { nearConstant, medianOutOfRange, plagiarised },
  };
}
