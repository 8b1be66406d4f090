/**
 * Plagiarism (SPEC §3): two miners whose scores correlate above 0.98 (Pearson) on at least ten
 * shared alerts are copies of each other. Within a connected group of copies only the miner whose
 * model_version was seen first keeps credit; the others are flagged for the cycle. Pure.
 *
 * Every answer is standardised once, so each pair costs one dot product: 256 miners × 10,000
 * alerts stays well under a second.
 */

export const PLAGIARISM_MIN_CORRELATION = 0.98;
export const PLAGIARISM_MIN_SHARED = 10;

export interface PlagiarismCandidate {
  minerId: string;
  /** When this miner's model_version was first seen (any monotone clock); earlier keeps credit. */
  firstSeen: number;
  /** Scores aligned with one alert list shared by all candidates (the cycle's batch). */
  scores: ArrayLike<number>;
}

export interface PlagiarismVerdict {
  minerId: string;
  /** The miner of the group that keeps credit. */
  original: string;
  correlation: number;
}

function standardise(xs: ArrayLike<number>): Float64Array | undefined {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i];
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - m) ** 2;
  if (!(ss > 0)) return undefined; // constant answers have no correlation; tier 2 punishes them apart
  const inv = 1 / Math.sqrt(ss);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = (xs[i] - m) * inv;
  return z;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Returns the flagged miners (never the group's original), in candidate order. */
export function detectPlagiarism(
  candidates: readonly PlagiarismCandidate[],
  options: { minCorrelation?: number; minShared?: number } = {},
): PlagiarismVerdict[] {
  const minCorrelation = options.minCorrelation ?? PLAGIARISM_MIN_CORRELATION;
  const minShared = options.minShared ?? PLAGIARISM_MIN_SHARED;
  const n = candidates.length;
  if (n < 2) return [];
  const length = candidates[0].scores.length;
  for (const c of candidates) {
    if (c.scores.length !== length)
      throw new RangeError('detectPlagiarism: answers must be aligned to one alert list');
  }
  if (length < minShared) return [];

  const z = candidates.map((c) => standardise(c.scores));
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const bestCorrelation = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const zi = z[i];
    if (!zi) continue;
    for (let j = i + 1; j < n; j++) {
      const zj = z[j];
      if (!zj) continue;
      const r = dot(zi, zj);
      if (r > minCorrelation) {
        parent[find(i)] = find(j);
        if (!(r <= bestCorrelation[i])) bestCorrelation[i] = r;
        if (!(r <= bestCorrelation[j])) bestCorrelation[j] = r;
      }
    }
  }

  // The original of each group: earliest firstSeen, then the smaller minerId for a stable verdict.
  const original = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(bestCorrelation[i])) continue;
    const root = find(i);
    const current = original.get(root);
    if (
      current === undefined ||
      candidates[i].firstSeen < candidates[current].firstSeen ||
      (candidates[i].firstSeen === candidates[current].firstSeen &&
        candidates[i].minerId < candidates[current].minerId)
    ) {
      original.set(root, i);
    }
  }
  const verdicts: PlagiarismVerdict[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(bestCorrelation[i])) continue;
    const keep = original.get(find(i))!;
    if (keep === i) continue;
    verdicts.push({
      minerId: candidates[i].minerId,
      original: candidates[keep].minerId,
      correlation: bestCorrelation[i],
    });
  }
  return verdicts;
}
