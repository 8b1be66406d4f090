/**
 * One cycle's score, as the validator settles it (docs/validator.md, "Performance"): the tier
 * weights, the trap-credit margin, and the settled t2, which caps the trap half of t2 at the skill
 * the same answer showed on labelled real alerts plus a margin. Shared by the validator's window
 * (which averages these over 30 days) and `validate-submission` (which rehearses one cycle). Pure.
 */

export const T1_WEIGHT = 0.2;
export const T2_WEIGHT = 0.3;
export const T3_WEIGHT = 0.5;
/** How far a trap component may exceed the miner's proven real skill before it is cut. */
export const TRAP_CREDIT_MARGIN = 0.1;

/** t2 once labels are known: 0.5 · min(trap component, max(0, 2·AUC_real − 1) + margin) + 0.5 · behaviour. */
export function settledTier2(trapComponent: number, behaviour: number, realAuc: number): number {
  const real = Math.max(0, 2 * realAuc - 1);
  return 0.5 * Math.min(trapComponent, real + TRAP_CREDIT_MARGIN) + 0.5 * behaviour;
}

/** 0.2 · t1 + 0.3 · t2 + 0.5 · t3, missing parts counting 0. */
export function cycleScore(t1: number, t2: number | null | undefined, t3: number | null | undefined): number {
  return T1_WEIGHT * t1 + T2_WEIGHT * (t2 ?? 0) + T3_WEIGHT * (t3 ?? 0);
}
