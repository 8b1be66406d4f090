/**
 * The binned training matrix: one bin index per (feature, row), stored column-major in a single
 * Uint8Array (≤ 256 bins per feature) or Uint16Array, so building a feature's histogram reads one
 * contiguous column. Validation sets are binned with the training mappers, as LightGBM does.
 */
import { LightgbmRandom } from '../boosting/random.js';
import { type BinMapper, buildBinMapper, createBinScratch } from './bin-mapper.js';
import { categoryToBin } from './categorical-bins.js';
import { columnView, type TrainData } from './train-data.js';

export type BinArray = Uint8Array | Uint16Array;

export interface BinnedDataset {
  numRows: number;
  numFeatures: number;
  mappers: BinMapper[];
  /** Column-major bins: feature f occupies [f*numRows, (f+1)*numRows). */
  bins: BinArray;
  /** Start of feature f's slots in a histogram; binOffsets[numFeatures] = total bins. */
  binOffsets: Int32Array;
  /** Features that can split (not trivial), increasing. */
  usedFeatures: Int32Array;
}

export interface BinningConfig {
  maxBin: number;
  minDataInBin: number;
  /** Rows sampled to find bin bounds (LightGBM's bin_construct_sample_cnt). */
  sampleCount: number;
  /** LightGBM's data_random_seed: the rows are drawn with LightGBM's generator and sampler. */
  seed: number;
  useMissing: boolean;
  zeroAsMissing: boolean;
  /** feature_pre_filter: features that cannot give two sides of this many samples are dropped; 0 = off. */
  minSplitData: number;
  /** Indices of the features to bin as categorical. */
  categorical?: ReadonlySet<number>;
}

/** Finds the mappers on (a deterministic sample of) the data and bins every row. */
export function binTrainingData(data: TrainData, config: BinningConfig): BinnedDataset {
  const n = data.numRows;
  const d = data.featureNames.length;
  const sampleRows =
    n > config.sampleCount ? new LightgbmRandom(config.seed).sample(n, config.sampleCount) : undefined;
  const column = new Float64Array(n);
  const sample = new Float64Array(sampleRows ? sampleRows.length : 0);
  const mappers: BinMapper[] = [];
  // the pre-filter's side size scales with the sample, as LightGBM's filter_cnt
  const options = {
    maxBin: config.maxBin,
    minDataInBin: config.minDataInBin,
    useMissing: config.useMissing,
    zeroAsMissing: config.zeroAsMissing,
    minSplitData: Math.trunc((config.minSplitData * (sampleRows ? sampleRows.length : n)) / n),
  };
  const scratch = createBinScratch(sampleRows ? sampleRows.length : n);
  for (let f = 0; f < d; f++) {
    const values = columnView(data, f, column);
    if (sampleRows) for (let i = 0; i < sampleRows.length; i++) sample[i] = values[sampleRows[i]];
    const categorical = config.categorical?.has(f) ?? false;
    mappers.push(buildBinMapper(sampleRows ? sample : values, { ...options, categorical }, scratch));
  }
  return binWithMappers(data, mappers);
}

/** Bins `data` with existing mappers (training or validation data). */
export function binWithMappers(data: TrainData, mappers: BinMapper[]): BinnedDataset {
  const n = data.numRows;
  const d = mappers.length;
  let maxBins = 0;
  const binOffsets = new Int32Array(d + 1);
  for (let f = 0; f < d; f++) {
    maxBins = Math.max(maxBins, mappers[f].numBins);
    binOffsets[f + 1] = binOffsets[f] + mappers[f].numBins;
  }
  const bins: BinArray = maxBins <= 256 ? new Uint8Array(n * d) : new Uint16Array(n * d);
  const column = new Float64Array(n);
  for (let f = 0; f < d; f++) {
    binColumn(mappers[f], columnView(data, f, column), bins.subarray(f * n, (f + 1) * n));
  }
  const used: number[] = [];
  for (let f = 0; f < d; f++) if (!mappers[f].isTrivial) used.push(f);
  return { numRows: n, numFeatures: d, mappers, bins, binOffsets, usedFeatures: Int32Array.from(used) };
}

/** Bins one column: a bucket lookup narrows each value's binary search to a bin or two. */
function binColumn(mapper: BinMapper, column: Float64Array, out: BinArray): void {
  const cats = mapper.categorical;
  if (cats !== undefined) {
    for (let i = 0; i < column.length; i++) out[i] = categoryToBin(cats, column[i] as number);
    return;
  }
  const ub = mapper.upperBounds;
  const last = ub.length - 1;
  const missingBin = mapper.nanBin >= 0 ? mapper.nanBin : mapper.zeroBin;
  if (last === 0) {
    for (let i = 0; i < column.length; i++) out[i] = Number.isNaN(column[i] as number) ? missingBin : 0;
    return;
  }
  const buckets = new BucketIndex(ub);
  for (let i = 0; i < column.length; i++) {
    const v = column[i] as number;
    if (Number.isNaN(v)) {
      out[i] = missingBin;
      continue;
    }
    const k = buckets.of(v);
    let lo = buckets.start[k] as number;
    let hi = Math.min(buckets.start[k + 1] as number, last);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v <= (ub[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
}

/**
 * Equal-width buckets over the finite bounds [ub[0], ub[last-1]], plus one below and one above.
 * `of` is non-decreasing in v, so a bin whose bound falls in an earlier bucket than v's is below v
 * and one whose bound falls in a later bucket is above it: v's bin (the first bound >= v) lies in
 * [start[k], start[k+1]] for v's bucket k, where start[k] counts the bounds in buckets before k.
 */
class BucketIndex {
  readonly start: Int32Array;
  private readonly low: number;
  private readonly high: number;
  private readonly scale: number;
  private readonly top: number;

  constructor(ub: Float64Array) {
    const last = ub.length - 1;
    this.low = ub[0] as number;
    this.high = ub[last - 1] as number;
    this.top = 2 * ub.length;
    // an infinite or empty range only makes the buckets useless (wide searches), never wrong
    this.scale = this.top / (this.high - this.low);
    const count = new Int32Array(this.top + 3);
    for (let b = 0; b <= last; b++) count[this.of(ub[b] as number)]++;
    this.start = new Int32Array(this.top + 3);
    for (let k = 0; k + 1 < this.start.length; k++) {
      this.start[k + 1] = (this.start[k] as number) + (count[k] as number);
    }
  }

  of(v: number): number {
    if (v <= this.low) return 0;
    if (v > this.high) return this.top + 1;
    // NaN (∞·0 from an infinite bound or range) takes the top bucket: still non-decreasing in v
    const k = Math.floor((v - this.low) * this.scale);
    // biome-ignore lint/complexity/useMathMinMax: Math.min would pass the NaN on
    return k < this.top ? k : this.top;
  }
}
