/**
 * The foreign producer's own randomness: splitmix32 seeded from (seed, stream name) through an
 * FNV-1a string hash. Every part of the simulation draws from its own named stream, so adding draws
 * in one part never shifts another, and nothing here is shared with src/synthetic.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** A uniform 32-bit unsigned integer. */
  word(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number;
  chance(p: number): boolean;
  /** Standard normal (Box-Muller, one value per call). */
  normal(): number;
  /** exp(mu + sigma * N(0,1)). */
  logNormal(mu: number, sigma: number): number;
  /** 1 + a geometric count with the given mean (>= 1). */
  countWithMean(mean: number): number;
  pick<T>(items: readonly T[]): T;
  /** Index drawn with probability proportional to weights[i] (weights >= 0, sum > 0). */
  weighted(weights: ArrayLike<number>): number;
  /** Fisher-Yates in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
  /** An independent child stream. */
  fork(name: string): Rng;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units, folded with a 32-bit starting value. */
export function hashString(text: string, start = FNV_OFFSET): number {
  let h = start >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  // Final avalanche so streams whose names differ in one character are far apart.
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds any JS number (negative, fractional, above 2^32) into a 32-bit seed. */
function foldSeed(seed: number): number {
  if (!Number.isFinite(seed)) return 0x9e3779b9;
  const whole = Math.trunc(seed);
  const low = whole >>> 0;
  const high = Math.floor(Math.abs(whole) / 4294967296) >>> 0;
  const fraction = Math.round((seed - whole) * 1e9) >>> 0;
  return hashString(`${low}:${high}:${fraction}:${seed < 0 ? '-' : '+'}`);
}

function splitmix32(state: number): () => number {
  let s = state | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let t = s ^ (s >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    t ^= t >>> 15;
    return t >>> 0;
  };
}

function rngFromState(state: number): Rng {
  const nextWord = splitmix32(state);
  const next = (): number => nextWord() / 4294967296;
  const rng: Rng = {
    next,
    word: nextWord,
    int: (n) => Math.floor(next() * n),
    between: (lo, hi) => lo + (hi - lo) * next(),
    chance: (p) => next() < p,
    normal: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    logNormal: (mu, sigma) => Math.exp(mu + sigma * rng.normal()),
    countWithMean: (mean) => {
      if (mean <= 1) return 1;
      const p = 1 / mean;
      return 1 + Math.floor(Math.log(1 - next()) / Math.log(1 - p));
    },
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (weights) => {
      let total = 0;
      for (let i = 0; i < weights.length; i++) total += weights[i];
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      return items;
    },
    fork: (name) => rngFromState(hashString(name, nextWord())),
  };
  return rng;
}

/** The stream `name` of `seed`: the same pair always gives the same sequence. */
export function createRng(seed: number, name: string): Rng {
  return rngFromState(hashString(name, foldSeed(seed)));
}
