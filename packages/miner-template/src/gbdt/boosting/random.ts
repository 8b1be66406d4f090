/**
 * Deterministic pseudo-random numbers for training (bagging, feature sampling, binning samples).
 * Each purpose gets its own stream derived from the user seed, as LightGBM derives bagging_seed,
 * feature_fraction_seed and data_random_seed from `seed`, so changing one purpose's draws never
 * shifts another's.
 */

/** 32-bit integer hash (murmur3 finaliser) used to derive independent stream seeds. */
function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A per-purpose seed: same (seed, purpose) always gives the same value. */
export function deriveSeed(seed: number, purpose: string): number {
  let h = mix32(seed ^ 0x9e3779b9);
  for (let i = 0; i < purpose.length; i++) h = mix32(h ^ purpose.charCodeAt(i));
  return h;
}

/** mulberry32: small, fast, good enough for sampling; state is one 32-bit integer. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/**
 * Selection sampling (Knuth's algorithm S): exactly `k` of `0..n-1`, returned in increasing order so
 * the sampled rows keep memory order.
 */
export function sampleSorted(n: number, k: number, rng: Random): Int32Array {
  const out = new Int32Array(k);
  let chosen = 0;
  for (let i = 0; i < n && chosen < k; i++) {
    if ((n - i) * rng.next() < k - chosen) out[chosen++] = i;
  }
  return out;
}
