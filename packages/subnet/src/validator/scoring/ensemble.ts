/**
 * The canonical scores (docs/validator.md, "Ensemble"): the score of an alert is Σ w_i·s_i / Σ w_i
 * over the weighted miners that scored it (weights from weights.ts, ∝ excess over the reference),
 * kept with its weighted standard deviation and miner count. Pure: the validator persists what
 * this returns.
 */

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
