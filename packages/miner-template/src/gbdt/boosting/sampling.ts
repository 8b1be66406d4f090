/**
 * Row bagging and per-tree feature sampling (LightGBM's bagging_fraction/bagging_freq and
 * feature_fraction). Each uses its own seeded stream, so results depend only on the seeds. The
 * feature sample is LightGBM's own (its generator, Random::Sample and draw order); the bag is not.
 */
import { LightgbmRandom, Random, sampleSorted } from './random.js';

export class RowBagger {
  private readonly rng: Random;
  private bag: Int32Array | null = null;

  constructor(
    private readonly numRows: number,
    private readonly fraction: number,
    private readonly freq: number,
    seed: number,
  ) {
    this.rng = new Random(seed);
  }

  get enabled(): boolean {
    return this.freq > 0 && this.fraction < 1;
  }

  /** The rows used at `iteration` (null = all rows); redrawn every `freq` iterations. */
  rowsFor(iteration: number): Int32Array | null {
    if (!this.enabled) return null;
    if (this.bag === null || iteration % this.freq === 0) {
      const k = Math.max(1, Math.floor(this.numRows * this.fraction));
      this.bag = sampleSorted(this.numRows, k, this.rng);
    }
    return this.bag;
  }
}

export class FeatureSampler {
  private readonly rng: LightgbmRandom;

  constructor(
    private readonly usable: Int32Array,
    private readonly fraction: number,
    seed: number,
  ) {
    this.rng = new LightgbmRandom(seed);
    // LightGBM's column sampler draws once when it is given the data, before the first tree
    if (fraction < 1 && usable.length > 0) this.next();
  }

  /** Features for the next tree: round(fraction × usable), at least one, in increasing order. */
  next(): Int32Array {
    const total = this.usable.length;
    if (this.fraction >= 1 || total === 0) return this.usable;
    const k = Math.min(total, Math.max(1, Math.round(total * this.fraction)));
    const picks = this.rng.sample(total, k);
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) out[i] = this.usable[picks[i]];
    return out;
  }
}
