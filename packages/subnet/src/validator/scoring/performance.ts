/**
 * Performance of a miner (SPEC §3): the mean of its last 30 cycle scores, final where settled and
 * immediate otherwise. Cycles a miner failed or missed count as 0: a miner that stops answering
 * must lose standing, not keep an old average. Pure.
 */

export const PERFORMANCE_WINDOW = 30;

export interface CycleScoreRecord {
  cycle: number;
  immediate: number;
  /** Present once tier 3 settled the cycle. */
  final?: number;
}

/** @param history one record per cycle the validator ran while the miner was registered, any order */
export function performance(history: readonly CycleScoreRecord[], window = PERFORMANCE_WINDOW): number {
  if (history.length === 0) return 0;
  const recent = [...history].sort((a, b) => b.cycle - a.cycle).slice(0, window);
  let sum = 0;
  for (const r of recent) {
    const s = r.final ?? r.immediate;
    sum += Number.isFinite(s) ? s : 0;
  }
  return sum / recent.length;
}
