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
  const minerAnswers = inputs.answers
    .filter((a) => contributors.has(a.hotkey))
    .map((a) => ({ minerId: a.hotkey, scores: alignedScores(a.answer, inputs.realAliases) }));
  const { score, std, minerCount } = aggregateCanonical(
    inputs.realAliases.length,
    minerAnswers,
    contributors,
  );
  const canonical = inputs.realIds.map((alertId, i) => ({
    alertId,
    score: score[i],
    std: std[i],
    minerCount: source === 'ensemble' ? minerCount[i] : 0,
    source,
  }));
  return { weights, canonical, source };
}
