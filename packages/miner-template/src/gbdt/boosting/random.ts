/**
 * Deterministic pseudo-random numbers. Training draws (bagging, feature sampling, binning samples)
 * use LightGBM's own generator with the seeds it derives from `seed`, one stream per purpose, so
 * the same seed picks the same rows and features as LightGBM. Random (mulberry32) serves tests and
 * benchmarks that need synthetic data.
 */

/** mulberry32: small, fast, good enough for synthetic data; state is one 32-bit integer. */
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
 * LightGBM's own generator (utils/random.h): a 32-bit linear congruential generator with the
 * MSVC constants. Used where matching LightGBM's draws is the point: the rows that bin bounds are
 * found on (bin_construct_sample_cnt) and the seeds LightGBM derives from `seed`.
 */
export class LightgbmRandom {
  private x: number;

  constructor(seed: number) {
    this.x = seed >>> 0;
  }

  private step(): number {
    this.x = (Math.imul(214013, this.x) + 2531011) >>> 0;
    return this.x;
  }

  /** 15 random bits, as RandInt16. */
  int16(): number {
    return (this.step() >>> 16) & 0x7fff;
  }

  /** 31 random bits, as RandInt32. */
  int32(): number {
    return this.step() & 0x7fffffff;
  }

  nextShort(lower: number, upper: number): number {
    return (this.int16() % (upper - lower)) + lower;
  }

  nextInt(lower: number, upper: number): number {
    return (this.int32() % (upper - lower)) + lower;
  }

  /** A float32 in [0, 1) with 15 random bits. */
  nextFloat(): number {
    return Math.fround(this.int16() / 32768);
  }

  /**
   * K of 0..N-1 in increasing order, drawn as LightGBM's Random::Sample: selection sampling when K
   * is large relative to N / log2(K), otherwise Floyd's algorithm over a set.
   */
  sample(n: number, k: number): Int32Array {
    if (k > n || k <= 0) return new Int32Array(0);
    if (k === n) return Int32Array.from({ length: n }, (_, i) => i);
    if (k > 1 && k > n / Math.log2(k)) {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        if (this.nextFloat() < (k - out.length) / (n - i)) out.push(i);
      }
      return Int32Array.from(out);
    }
    const chosen = new Set<number>();
    for (let r = n - k; r < n; r++) {
      const v = this.nextInt(0, r + 1);
      if (chosen.has(v)) chosen.add(r);
      else chosen.add(v);
    }
    return Int32Array.from(chosen).sort();
  }
}

/**
 * The seeds LightGBM derives from `seed`, in its order: data_random_seed, bagging_seed, drop_seed,
 * feature_fraction_seed, objective_seed, extra_seed (without `seed` its defaults are 1, 3, 4, 2).
 */
function lightgbmSeed(seed: number, index: number): number {
  const rng = new LightgbmRandom(seed);
  let out = 0;
  for (let i = 0; i <= index; i++) out = rng.nextShort(0, 32767);
  return out;
}

export function lightgbmDataSeed(seed: number): number {
  return lightgbmSeed(seed, 0);
}

export function lightgbmBaggingSeed(seed: number): number {
  return lightgbmSeed(seed, 1);
}

export function lightgbmFeatureFractionSeed(seed: number): number {
  return lightgbmSeed(seed, 3);
}
