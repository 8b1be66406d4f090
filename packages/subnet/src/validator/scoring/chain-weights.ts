/**
 * Chain weights (SPEC §3): proportional to performance, for miners with a serving axon. The u16
 * normalisation the chain wants is the chain client's job; this returns plain floats summing to 1.
 * Pure.
 */

export interface WeightCandidate {
  uid: number;
  performance: number;
  serving: boolean;
}

export function chainWeights(candidates: readonly WeightCandidate[]): { uids: number[]; weights: number[] } {
  const eligible = candidates
    .filter((c) => c.serving && Number.isFinite(c.performance) && c.performance > 0)
    .sort((a, b) => a.uid - b.uid);
  const total = eligible.reduce((s, c) => s + c.performance, 0);
  if (total <= 0) return { uids: [], weights: [] };
  return { uids: eligible.map((c) => c.uid), weights: eligible.map((c) => c.performance / total) };
}
