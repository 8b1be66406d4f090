/**
 * Step 4 of a cycle: the weighted ensemble and the canonical scores of the real alerts (traps
 * never reach the canonical table). Ensemble weights are ∝ (perf − perf_ref)^α over this cycle's
 * tier-1 passers that are not copies and beat the reference; shares below 1 % are dropped. When
 * nobody beats the reference the canonical scores are the reference's, marked as such. Pure.
 */

import { aggregateCanonical } from '../scoring/ensemble.js';
import { ENSEMBLE_MIN_WEIGHT, excessWeights, WEIGHTS_ALPHA } from '../scoring/weights.js';
import type { AnswerRecord, CanonicalRecord, TierRecord } from '../store/types.js';
import { alignedScores } from './aligned-scores.js';
import type { Standing } from './standing.js';
import { REFERENCE_HOTKEY } from './tier-step.js';

export interface EnsembleOutcome {
  weights: Map<string, number>;
  canonical: CanonicalRecord[];
  source: 'ensemble' | 'reference';
}

export interface EnsembleInputs {
  answers: readonly AnswerRecord[];
  tiers: readonly TierRecord[];
  standing: Standing;
  /** Request ids of the real alerts, and the alerts' own ids at the same positions. */
  realAliases: readonly string[];
  realIds: readonly string[];
  alpha?: number;
}

export function computeEnsemble(inputs: EnsembleInputs): EnsembleOutcome {
  const chosen = ensembleContributors(inputs);
  const scores = inputs.answers
    .filter((a) => chosen.contributors.has(a.hotkey))
    .map((a) => ({ minerId: a.hotkey, scores: alignedScores(a.answer, inputs.realAliases) }));
  return canonicalOf(chosen, scores, inputs.realIds);
}

export interface EnsembleChoice {
  weights: Map<string, number>;
  /** Whose scores make the canonical ones: the weighted miners, or the reference alone. */
  contributors: Map<string, number>;
  source: EnsembleOutcome['source'];
}

/** The ensemble's weights and contributors (computeEnsemble, first part): tiers and standing only. */
export function ensembleContributors(
  inputs: Pick<EnsembleInputs, 'tiers' | 'standing' | 'alpha'>,
): EnsembleChoice {
  const { standing } = inputs;
  const eligible = new Map<string, number>();
  for (const t of inputs.tiers) {
    if (t.hotkey === REFERENCE_HOTKEY || t.t1 !== 1 || t.copyOf) continue;
    eligible.set(t.hotkey, standing.miners.get(t.hotkey)?.perf ?? 0);
  }
  const weights = excessWeights(eligible, standing.reference.perf, {
    alpha: inputs.alpha ?? WEIGHTS_ALPHA,
    minWeight: ENSEMBLE_MIN_WEIGHT,
  });
  const source: EnsembleOutcome['source'] = weights.size > 0 ? 'ensemble' : 'reference';
  const contributors = source === 'ensemble' ? weights : new Map([[REFERENCE_HOTKEY, 1]]);
  return { weights, contributors, source };
}

/**
 * The canonical scores from the contributors' scores on the real alerts (computeEnsemble, second
 * part): the cycle hands in only the contributors' vectors, never every miner's answer.
 */
export function canonicalOf(
  chosen: EnsembleChoice,
  scores: readonly { minerId: string; scores: Float64Array }[],
  realIds: readonly string[],
): EnsembleOutcome {
  const { weights, contributors, source } = chosen;
  const { score, std, minerCount } = aggregateCanonical(realIds.length, scores, contributors);
  const canonical = realIds.map((alertId, i) => ({
    alertId,
    score: score[i],
    std: std[i],
    minerCount: source === 'ensemble' ? minerCount[i] : 0,
    source,
  }));
  return { weights, canonical, source };
}
