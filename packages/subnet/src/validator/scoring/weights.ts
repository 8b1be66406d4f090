/**
 * Weights that pay only for skill beyond the reference (docs/validator.md, "Weights"): both the
 * ensemble and the chain weights are ∝ (perf_i − perf_ref)^α over miners that beat the reference.
 * Measuring from the reference removes the floor every miner gets without skill (tier 1, spread,
 * chance-level AUC), and α = 2 makes a small excess, which noise alone can produce, worth almost
 * nothing next to a real one. Pure.
 */

export const WEIGHTS_ALPHA = 2.0;
export const ENSEMBLE_MIN_WEIGHT = 0.01;

export interface ExcessOptions {
  alpha?: number;
  /** Shares below this are dropped and the rest renormalised (ensemble: 0.01; chain: 0). */
  minWeight?: number;
}

/**
 * Normalised weights ∝ (perf − baseline)^α for the entries above the baseline, keys sorted so the
 * float sums (and so the weights) do not depend on map order. Empty when none is above.
 */
export function excessWeights(
  performance: ReadonlyMap<string, number>,
  baseline: number,
  options: ExcessOptions = {},
): Map<string, number> {
  const alpha = options.alpha ?? WEIGHTS_ALPHA;
  const minWeight = options.minWeight ?? 0;
  const keys = [...performance.keys()]
    .sort()
    .filter((k) => Number.isFinite(performance.get(k)!) && performance.get(k)! - baseline > 0);
  if (keys.length === 0) return new Map();
  // Dividing by the largest excess first keeps tiny excesses from underflowing under ^α.
  const best = Math.max(...keys.map((k) => performance.get(k)! - baseline));
  const raw = keys.map((k) => ((performance.get(k)! - baseline) / best) ** alpha);
  const total = raw.reduce((s, v) => s + v, 0);
  const kept: [string, number][] = [];
  let keptTotal = 0;
  keys.forEach((k, i) => {
    if (raw[i] / total < minWeight) return;
    kept.push([k, raw[i]]);
    keptTotal += raw[i];
  });
  return new Map(kept.map(([k, v]) => [k, v / keptTotal]));
}

export interface WeightCandidate {
  uid: number;
  hotkey: string;
  performance: number;
  serving: boolean;
}

export interface ChainWeights {
  uids: number[];
  weights: number[];
  /** 'excess': ∝ (perf − perf_ref)^α; 'fallback': nobody beat the reference, ∝ perf^α. */
  mode: 'excess' | 'fallback' | 'none';
}

/** Chain weights over serving miners, in uid order (floats summing to 1; u16 is the chain's job). */
export function chainWeights(
  candidates: readonly WeightCandidate[],
  referencePerformance: number,
  alpha = WEIGHTS_ALPHA,
): ChainWeights {
  const serving = candidates.filter((c) => c.serving).sort((a, b) => a.uid - b.uid);
  const byUid = new Map(serving.map((c) => [String(c.uid).padStart(6, '0'), c.performance]));
  let mode: ChainWeights['mode'] = 'excess';
  let w = excessWeights(byUid, referencePerformance, { alpha });
  if (w.size === 0) {
    mode = 'fallback';
    w = excessWeights(byUid, 0, { alpha });
  }
  if (w.size === 0) return { uids: [], weights: [], mode: 'none' };
  const uids = [...w.keys()].map(Number);
  return { uids, weights: [...w.values()], mode };
}
