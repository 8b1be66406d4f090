/**
 * Copies earn nothing (docs/validator.md, "Copies"). Two answers are copies when one is (nearly) a
 * monotone transform of the other: Spearman rank correlation ≥ 0.995 on the alerts both scored, or
 * mean absolute difference ≤ 0.01. Rank correlation, not Pearson, because any monotone transform
 * (s ↦ s^0.25) keeps every rank and would slip under a linear test; the absolute difference catches
 * a copy that was nudged enough to reorder near-ties. Copies form groups (transitively); in each
 * group only the miner registered earliest on the subnet keeps credit, because registration is
 * the one order a copier cannot fake (a model_version string or a first-seen time can be).
 *
 * Anchors are answers no miner may copy: the reference (the upstream detector's own confidence)
 * and the previous canonical ensemble. A miner matching an anchor is a copy of it, except the
 * miners an anchor exempts (the ensemble's own contributors: a dominant honest miner naturally
 * matches the ensemble it dominates). Anchor copies are settled first, so a replayer can never be
 * the one that keeps a group's credit. Pure.
 */

export const COPY_MIN_RANK_CORRELATION = 0.995;
export const COPY_MAX_MEAN_ABS_DIFF = 0.01;
export const COPY_MIN_SHARED = 10;

export interface CopyCandidate {
  minerId: string;
  /** Registration block on the subnet: lower keeps credit. */
  registeredAt: number;
  uid: number;
  /** Scores aligned with one alert list shared by all candidates; NaN = not scored. */
  scores: ArrayLike<number>;
}

export interface CopyAnchor {
  id: string;
  scores: ArrayLike<number>;
  /** Miners allowed to match this anchor. */
  exempt?: ReadonlySet<string>;
}

export interface PairAgreement {
  rankCorrelation: number;
  meanAbsDiff: number;
  shared: number;
}

export interface CopyVerdict extends PairAgreement {
  minerId: string;
  /** The miner (or anchor id) that keeps the credit. */
  copyOf: string;
}

export interface CopyThresholds {
  minRankCorrelation?: number;
  maxMeanAbsDiff?: number;
  minShared?: number;
}

/** Average ranks (ties share the mean of their positions), 0-based. */
export function averageRanks(xs: ArrayLike<number>): Float64Array {
  const n = xs.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => xs[a] - xs[b] || a - b);
  const ranks = new Float64Array(n);
  let k = 0;
  while (k < n) {
    let end = k + 1;
    while (end < n && xs[order[end]] === xs[order[k]]) end++;
    const r = (k + end - 1) / 2;
    for (let j = k; j < end; j++) ranks[order[j]] = r;
    k = end;
  }
  return ranks;
}

/** Ranks centred and scaled to unit norm, so a Spearman correlation is one dot product. */
function standardisedRanks(xs: ArrayLike<number>): Float64Array | undefined {
  const r = averageRanks(xs);
  const n = r.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += r[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    r[i] -= mean;
    ss += r[i] * r[i];
  }
  if (!(ss > 0)) return undefined; // a constant answer has no rank correlation with anything
  const inv = 1 / Math.sqrt(ss);
  for (let i = 0; i < n; i++) r[i] *= inv;
  return r;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** Agreement of two answers on the alerts both scored (finite in both). */
export function compareAnswers(a: ArrayLike<number>, b: ArrayLike<number>): PairAgreement {
  if (a.length !== b.length)
    throw new RangeError('compareAnswers: answers must be aligned to one alert list');
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i])) {
      xs.push(a[i]);
      ys.push(b[i]);
    }
  }
  const shared = xs.length;
  if (shared === 0) return { rankCorrelation: Number.NaN, meanAbsDiff: Number.NaN, shared };
  const za = standardisedRanks(xs);
  const zb = standardisedRanks(ys);
  return {
    rankCorrelation: za && zb ? dot(za, zb) : Number.NaN,
    meanAbsDiff: meanAbsDiff(xs, ys),
    shared,
  };
}

export function isCopyPair(agreement: PairAgreement, thresholds: CopyThresholds = {}): boolean {
  const minShared = thresholds.minShared ?? COPY_MIN_SHARED;
  if (agreement.shared < minShared) return false;
  return (
    agreement.rankCorrelation >= (thresholds.minRankCorrelation ?? COPY_MIN_RANK_CORRELATION) ||
    agreement.meanAbsDiff <= (thresholds.maxMeanAbsDiff ?? COPY_MAX_MEAN_ABS_DIFF)
  );
}

function creditOrder(a: CopyCandidate, b: CopyCandidate): number {
  return a.registeredAt - b.registeredAt || a.uid - b.uid || (a.minerId < b.minerId ? -1 : 1);
}

function allFinite(xs: ArrayLike<number>): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
}

/**
 * Returns one verdict per miner that loses its credit, in candidate order. Miners copying an
 * anchor name the anchor; the others name their group's earliest-registered miner.
 */
export function detectCopies(
  candidates: readonly CopyCandidate[],
  anchors: readonly CopyAnchor[] = [],
  thresholds: CopyThresholds = {},
): CopyVerdict[] {
  const n = candidates.length;
  if (n === 0) return [];
  const length = candidates[0].scores.length;
  for (const c of [...candidates, ...anchors]) {
    if (c.scores.length !== length)
      throw new RangeError('detectCopies: answers must be aligned to one alert list');
  }
  const verdicts = new Map<number, CopyVerdict>();

  for (let i = 0; i < n; i++) {
    for (const anchor of anchors) {
      if (anchor.exempt?.has(candidates[i].minerId)) continue;
      const agreement = compareAnswers(candidates[i].scores, anchor.scores);
      if (isCopyPair(agreement, thresholds)) {
        verdicts.set(i, { minerId: candidates[i].minerId, copyOf: anchor.id, ...agreement });
        break;
      }
    }
  }

  const open = candidates.map((_, i) => i).filter((i) => !verdicts.has(i));
  // Tier-1 passers answer every alert, so the ranks can be standardised once per miner.
  const dense = open.every((i) => allFinite(candidates[i].scores));
  const z = new Map<number, Float64Array | undefined>();
  if (dense) for (const i of open) z.set(i, standardisedRanks(candidates[i].scores));

  const parent = new Map<number, number>(open.map((i) => [i, i]));
  const find = (i: number): number => {
    let root = i;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(i, root);
    return root;
  };
  const best = new Map<number, PairAgreement>();
  const keepBest = (i: number, a: PairAgreement) => {
    const current = best.get(i);
    if (!current || a.rankCorrelation > current.rankCorrelation) best.set(i, a);
  };
  for (let x = 0; x < open.length; x++) {
    const i = open[x];
    for (let y = x + 1; y < open.length; y++) {
      const j = open[y];
      let agreement: PairAgreement;
      if (dense) {
        const zi = z.get(i);
        const zj = z.get(j);
        agreement = {
          rankCorrelation: zi && zj ? dot(zi, zj) : Number.NaN,
          meanAbsDiff: meanAbsDiff(candidates[i].scores, candidates[j].scores),
          shared: length,
        };
      } else agreement = compareAnswers(candidates[i].scores, candidates[j].scores);
      if (!isCopyPair(agreement, thresholds)) continue;
      parent.set(find(i), find(j));
      keepBest(i, agreement);
      keepBest(j, agreement);
    }
  }

  const keeper = new Map<number, number>();
  for (const i of best.keys()) {
    const root = find(i);
    const current = keeper.get(root);
    if (current === undefined || creditOrder(candidates[i], candidates[current]) < 0) keeper.set(root, i);
  }
  for (const [i, agreement] of best) {
    const keep = keeper.get(find(i))!;
    if (keep !== i)
      verdicts.set(i, { minerId: candidates[i].minerId, copyOf: candidates[keep].minerId, ...agreement });
  }
  return [...verdicts.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}
