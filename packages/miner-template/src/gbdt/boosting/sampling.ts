/**
 * Row bagging and per-tree feature sampling (LightGBM's bagging_fraction/bagging_freq and
 * feature_fraction), drawn as LightGBM draws them so that the same seeds pick the same rows and
 * features: its generator, its per-row bag test and its Random::Sample, in its order.
 */
import { LightgbmRandom } from './random.js';

/** LightGBM gives each block of this many rows its own generator, seeded bagging_seed + block. */
const BAG_BLOCK = 1024;

export class RowBagger {
  private readonly rngs: LightgbmRandom[] = [];
  private bag: Int32Array | null = null;

  constructor(
    private readonly numRows: number,
    private readonly fraction: number,
    private readonly freq: number,
    seed: number,
  ) {
    for (let b = 0; b * BAG_BLOCK < numRows; b++) this.rngs.push(new LightgbmRandom(seed + b));
  }

  get enabled(): boolean {
    return this.freq > 0 && this.fraction < 1;
  }

  /**
   * The rows used at `iteration` (null = all rows), redrawn every `freq` iterations: each row is
   * in the bag when its block's next float32 draw is below bagging_fraction, so the bag's size
   * varies around fraction × rows, as LightGBM's does.
   */
  rowsFor(iteration: number): Int32Array | null {
    if (!this.enabled) return null;
    if (this.bag === null || iteration % this.freq === 0) {
      const rows: number[] = [];
      for (let i = 0; i < this.numRows; i++) {
        if ((this.rngs[Math.floor(i / BAG_BLOCK)] as LightgbmRandom).nextFloat() < this.fraction)
          rows.push(i);
      }
      this.bag = Int32Array.from(rows);
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
