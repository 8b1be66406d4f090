/**
 * Step 4 of a cycle: rolling performance of each tier-1 passer, the weighted ensemble (α = 2) and
 * the canonical scores of the real alerts (traps never reach the canonical table).
 */
import { aggregateCanonical, ensembleWeights } from '../scoring/ensemble.js';
import { PERFORMANCE_WINDOW, performance } from '../scoring/performance.js';
import type { AnswerRecord, CanonicalRecord, TierRecord, ValidatorStore } from '../store/types.js';
import { alignedScores } from './tier-step.js';

export async function minerPerformance(store: ValidatorStore, hotkey: string): Promise<number> {
  const history = await store.performanceHistory(hotkey, PERFORMANCE_WINDOW);
  return performance(
    history.map((p) => ({
      cycle: p.cycleId,
      immediate: p.immediate,
      ...(p.final === null ? {} : { final: p.final }),
    })),
  );
}

export interface EnsembleOutcome {
  weights: Map<string, number>;
  canonical: CanonicalRecord[];
}

export async function computeEnsemble(
  store: ValidatorStore,
  answers: readonly AnswerRecord[],
  tiers: readonly TierRecord[],
  realAlertIds: readonly string[],
): Promise<EnsembleOutcome> {
  const passed = new Set(tiers.filter((t) => t.t1 === 1).map((t) => t.hotkey));
  const perf = new Map<string, number>();
  for (const hotkey of passed) perf.set(hotkey, await minerPerformance(store, hotkey));
  const weights = ensembleWeights(perf);
  const minerAnswers = answers
    .filter((a) => weights.has(a.hotkey))
    .map((a) => ({ minerId: a.hotkey, scores: alignedScores(a.answer, realAlertIds) }));
  const { score, std, minerCount } = aggregateCanonical(realAlertIds.length, minerAnswers, weights);
  const canonical = realAlertIds.map((alertId, i) => ({
    alertId,
    score: score[i],
    std: std[i],
    minerCount: minerCount[i],
  }));
  return { weights, canonical };
}
