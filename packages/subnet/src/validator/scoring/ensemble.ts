/**
 * The weighted ensemble (SPEC §3, "Strategy 2"): w_i = perf_i^α / Σ_j perf_j^α over tier-1 passers
 * with perf > 0; weights under 0.01 are dropped and the rest renormalised. The canonical score of
 * an alert is Σ w_i·s_i / Σ w_i over the miners that scored it, kept with its weighted standard
 * deviation and miner count. Pure: the validator persists what these return.
 */

export const ENSEMBLE_ALPHA = 2.0;
export const ENSEMBLE_MIN_WEIGHT = 0.01;

export interface EnsembleOptions {
  alpha?: number;
  minWeight?: number;
}

/**
 * @param performanceByMiner rolling performance of each tier-1 passer of this cycle
 * @returns normalised weights (summing to 1), only for miners that keep a weight
 */
export function ensembleWeights(
  performanceByMiner: ReadonlyMap<string, number>,
  options: EnsembleOptions = {},
): Map<string, number> {
  const alpha = options.alpha ?? ENSEMBLE_ALPHA;
  const minWeight = options.minWeight ?? ENSEMBLE_MIN_WEIGHT;
  const raw = new Map<string, number>();
  let total = 0;
  // Sorted so that the float sums, and so the weights, do not depend on map insertion order.
  const miners = [...performanceByMiner.keys()].sort().filter((m) => {
    const p = performanceByMiner.get(m)!;
    return p > 0 && Number.isFinite(p);
  });
  // Dividing by the best performance first keeps tiny performances from underflowing to 0 under p^α.
  const best = Math.max(0, ...miners.map((m) => performanceByMiner.get(m)!));
  for (const miner of miners) {
    const v = (performanceByMiner.get(miner)! / best) ** alpha;
    raw.set(miner, v);
    total += v;
  }
  if (total <= 0) return new Map();
  let kept = 0;
  const survivors = new Map<string, number>();
  for (const [miner, v] of raw) {
    if (v / total < minWeight) continue;
    survivors.set(miner, v);
    kept += v;
  }
  const weights = new Map<string, number>();
  for (const [miner, v] of survivors) weights.set(miner, v / kept);
  return weights;
}

export interface MinerAnswer {
  minerId: string;
  /** Scores aligned with the cycle's alert list; NaN marks an alert this miner did not score. */
  scores: ArrayLike<number>;
}

export interface CanonicalScores {
  score: Float64Array;
  std: Float64Array;
  minerCount: Int32Array;
}

/** Alerts no weighted miner scored get NaN score and std and a count of 0. */
export function aggregateCanonical(
  numAlerts: number,
  answers: readonly MinerAnswer[],
  weights: ReadonlyMap<string, number>,
): CanonicalScores {
  const sumW = new Float64Array(numAlerts);
  const sumWS = new Float64Array(numAlerts);
  const sumWS2 = new Float64Array(numAlerts);
  const minerCount = new Int32Array(numAlerts);
  const ordered = [...answers].sort((a, b) => (a.minerId < b.minerId ? -1 : a.minerId > b.minerId ? 1 : 0));
  for (const { minerId, scores } of ordered) {
    const w = weights.get(minerId);
    if (w === undefined || !(w > 0)) continue;
    if (scores.length !== numAlerts)
      throw new RangeError(`answer of ${minerId} has ${scores.length} scores, expected ${numAlerts}`);
    for (let i = 0; i < numAlerts; i++) {
      const s = scores[i];
      if (!Number.isFinite(s)) continue;
      sumW[i] += w;
      sumWS[i] += w * s;
      sumWS2[i] += w * s * s;
      minerCount[i]++;
    }
  }
  const score = new Float64Array(numAlerts);
  const std = new Float64Array(numAlerts);
  for (let i = 0; i < numAlerts; i++) {
    if (sumW[i] === 0) {
      score[i] = Number.NaN;
      std[i] = Number.NaN;
      continue;
    }
    const m = sumWS[i] / sumW[i];
    score[i] = m;
    std[i] = Math.sqrt(Math.max(0, sumWS2[i] / sumW[i] - m * m));
  }
  return { score, std, minerCount };
}
