/**
 * How a cycle reads its stored answers: one at a time, each unpacked, put through tier 1 and let
 * go, keeping only a passer's scores as a Float64Array. Reading every answer at once held 256
 * miners' entry lists (50,000 objects each at mainnet batch sizes) together: 3.9 GB at 256 ×
 * 50,000 (BENCHMARKS.md, "Validator memory").
 */
import type { ValidatorStore } from '../store/types.js';
import { alignedScores } from './aligned-scores.js';
import { type CheckedAnswer, checkAnswer, realScoresOf, type TierInputs } from './tier-step.js';

/** Every stored answer of the cycle through tier 1, in the store's order (uid, hotkey). */
export async function checkStoredAnswers(
  store: ValidatorStore,
  cycleId: number,
  inputs: Pick<TierInputs, 'alertIds' | 'timeoutMs'>,
): Promise<CheckedAnswer[]> {
  const checked: CheckedAnswer[] = [];
  for (const { hotkey } of await store.answerSummaries(cycleId)) {
    const answer = await store.answerOf(cycleId, hotkey);
    if (answer) checked.push(checkAnswer(answer, inputs));
  }
  return checked;
}

/** Reads one miner's scores on a request's real alerts (NaN where its answer has none). */
export type RealScores = (hotkey: string) => Promise<Float64Array>;

/** A stored answer's scores on the real alerts, read from the store when asked. */
export function storedRealScores(
  store: ValidatorStore,
  cycleId: number,
  realAliases: readonly string[],
): RealScores {
  return async (hotkey) => alignedScores((await store.answerOf(cycleId, hotkey))?.answer, realAliases);
}

/**
 * The tier-1 passers' scores on the real alerts, kept after the tier step for the ensemble and
 * tier 3 of the same run (8 bytes an alert a miner); any other answer is read from the store. For a
 * passer these are the numbers alignedScores gives: tier 1 passed every requested id exactly once.
 */
export function keptRealScores(
  checked: readonly CheckedAnswer[],
  alertIds: readonly string[],
  fallback: RealScores,
  realAliases: readonly string[],
): RealScores {
  const onReal = realScoresOf(alertIds, realAliases);
  const kept = new Map<string, Float64Array>();
  for (const c of checked) if (c.tier1.passed) kept.set(c.hotkey, onReal(c.tier1.scores!));
  return async (hotkey) => kept.get(hotkey) ?? fallback(hotkey);
}
