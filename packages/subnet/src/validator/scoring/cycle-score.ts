/**
 * A miner's score for one cycle (SPEC §3): immediate = 0.2·t1 + 0.3·t2 in [0, 0.5]; once tier 3
 * settles, final = immediate + 0.5·t3 in [0, 1]. Pure.
 */

export const T1_WEIGHT = 0.2;
export const T2_WEIGHT = 0.3;
export const T3_WEIGHT = 0.5;

function unit(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

export function immediateScore(t1: number, t2: number): number {
  return T1_WEIGHT * unit(t1) + T2_WEIGHT * unit(t2);
}

/** t3 undefined (labels not in yet, or too few) leaves the cycle at its immediate score. */
export function finalScore(immediate: number, t3: number | undefined): number {
  return t3 === undefined ? immediate : immediate + T3_WEIGHT * unit(t3);
}
