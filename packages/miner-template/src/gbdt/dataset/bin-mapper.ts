/**
 * Binning of one numerical feature as LightGBM's BinMapper does it (src/io/bin.cpp), so that our
 * trees split on the same thresholds as LightGBM's on the same data:
 * - values within ±kZeroThreshold count as zero, and zero always has a bin of its own,
 *   (-kZeroThreshold, kZeroThreshold]; negatives and positives are binned separately, the
 *   negatives getting a share of the max_bin - 1 non-zero bins proportional to their count;
 * - each sign range is cut by greedyFindBin (greedy-bins.ts) with min_data_in_bin;
 * - missing values: with use_missing=false NaN is zero (missing type None); with zero_as_missing
 *   NaN and zero share the zero bin, which follows the split's default direction (missing type
 *   Zero, dropped to None when only two bins come out); otherwise a feature whose sample had NaN
 *   gets a last NaN bin (missing type NaN) and the value bins share max_bin - 1;
 * - feature_pre_filter: a feature no threshold could split into two sides of min_data_in_leaf
 *   samples is trivial ("none" in feature_infos) and never split.
 * Bin k covers (upper[k-1], upper[k]]; the last value bin is open to +Infinity.
 */
import { MissingType } from '../model.js';
import { formatDouble17 } from '../text/number-format.js';
import { buildCategoricalMapper, categoryToBin } from './categorical-bins.js';
import { greedyFindBin, withinOneUlp } from './greedy-bins.js';
import { sortDoubles } from './sort-doubles.js';

/** LightGBM's kZeroThreshold (1e-35f widened to double): values within it are zero. */
export const K_ZERO_THRESHOLD = 1.0000000180025095e-35;

export interface BinMapper {
  /** Upper bound of each value bin, increasing; the last one is +Infinity. */
  upperBounds: Float64Array;
  /** Value bins plus the NaN bin when there is one. */
  numBins: number;
  missingType: MissingType;
  /** Index of the NaN bin (numBins - 1) or -1 unless missing type is NaN. */
  nanBin: number;
  /** The bin that 0.0 falls in (LightGBM's default_bin); NaN goes here without a NaN bin. */
  zeroBin: number;
  /** The bin whose rows follow a split's default direction: the NaN bin, the zero bin, or -1. */
  missingBin: number;
  /**
   * LightGBM's most_freq_bin: the fullest bin in the sample if it holds at least 70% of it, else
   * the zero bin. Its histogram entry is the leaf total minus the other bins, as LightGBM keeps it.
   */
  mostFreqBin: number;
  minValue: number;
  maxValue: number;
  /** One bin only, or filtered out: the feature cannot split and is reported as "none". */
  isTrivial: boolean;
  /**
   * Categorical features (categorical-bins.ts): bin b holds category categories[b]; bin 0 (-1)
   * holds NaN, negative, rare and unseen categories. Absent for numerical features.
   */
  categorical?: CategoricalBins;
}

export interface CategoricalBins {
  /** Category of each bin, in bin order (most frequent first after bin 0 = -1). */
  categories: Int32Array;
  /** Category -> bin; a category not listed goes to bin 0. */
  binOf: Map<number, number>;
}

export interface BinningOptions {
  maxBin: number;
  minDataInBin: number;
  /** false: NaN is zero (LightGBM's use_missing). Default true. */
  useMissing?: boolean;
  /** Zero and NaN are both "missing" (LightGBM's zero_as_missing). Default false. */
  zeroAsMissing?: boolean;
  /** feature_pre_filter's minimum side size in samples; 0 or absent disables the filter. */
  minSplitData?: number;
  /** Bin the feature as categorical (LightGBM's categorical_feature). */
  categorical?: boolean;
}

export interface DistinctValues {
  values: Float64Array;
  counts: Float64Array;
}

/**
 * Work arrays for building many mappers from samples of one size: reused feature after feature
 * instead of three fresh sample-sized arrays each, which stay allocated until a collection (14 MB
 * over 30 features of 20k samples, more than the binned data).
 */
export interface BinScratch {
  nonZero: Float64Array;
  values: Float64Array;
  counts: Float64Array;
}

export function createBinScratch(sampleSize: number): BinScratch {
  return {
    nonZero: new Float64Array(sampleSize),
    values: new Float64Array(sampleSize + 1),
    counts: new Float64Array(sampleSize + 1),
  };
}

/** `scratch`'s array when it has room for `length` values, else a fresh one. */
function workArray(scratch: Float64Array | undefined, length: number): Float64Array {
  return scratch !== undefined && scratch.length >= length ? scratch : new Float64Array(length);
}

/**
 * Sorted distinct non-zero values with their counts, with 0 (holding zeroCount samples) inserted
 * where it sorts: doubles one ulp apart are one value (the larger kept), as LightGBM merges them.
 */
export function distinctWithZero(
  sorted: Float64Array,
  zeroCount: number,
  scratch?: BinScratch,
): DistinctValues {
  const n = sorted.length;
  // at most every sample distinct plus one zero slot (before, between or after the signs)
  const values = workArray(scratch?.values, n + 1);
  const counts = workArray(scratch?.counts, n + 1);
  let m = 0;
  if (n === 0 || ((sorted[0] as number) > 0 && zeroCount > 0)) {
    values[m] = 0;
    counts[m++] = zeroCount;
  }
  let prev = Number.NaN;
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    if (i > 0 && sameValue(prev, v)) {
      values[m - 1] = v;
      counts[m - 1] = (counts[m - 1] as number) + 1;
    } else {
      // the zero slot between the last negative and the first positive, even when empty
      if (i > 0 && prev < 0 && v > 0) {
        values[m] = 0;
        counts[m++] = zeroCount;
      }
      values[m] = v;
      counts[m++] = 1;
    }
    prev = v;
  }
  if (n > 0 && (sorted[n - 1] as number) < 0 && zeroCount > 0) {
    values[m] = 0;
    counts[m++] = zeroCount;
  }
  return { values: values.subarray(0, m), counts: counts.subarray(0, m) };
}

/**
 * prev ≤ v are one value for LightGBM: equal or one ulp apart. A gap wider than 2^-51·|prev| is
 * more than an ulp of any normal double, so most pairs skip the exact bit-level test.
 */
function sameValue(prev: number, v: number): boolean {
  if (v === prev) return true;
  const gap = v - prev;
  if (gap > 1e-300 && gap > Math.abs(prev) * 4.5e-16) return false;
  return withinOneUlp(prev, v);
}

/*
 * The loops over a feature's values live in small functions of their own (signCounts, firstAbove,
 * binCounts, fullestBin). In one large function V8 compiles a hot loop on its own (on-stack
 * replacement) and the code after it, which the optimized loop ran without recording types, sent
 * each later call back to the interpreter: 25-30 deoptimizations and recompilations a run.
 */

/** Sample counts of the negative, positive and zero values: [negative, positive, zero]. */
const SIGN_COUNTS = new Float64Array(3);

function signCounts(values: Float64Array, counts: Float64Array): Float64Array {
  let negCount = 0;
  let posCount = 0;
  let zeroCount = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v <= -K_ZERO_THRESHOLD) negCount += counts[i] as number;
    else if (v > K_ZERO_THRESHOLD) posCount += counts[i] as number;
    else zeroCount += counts[i] as number;
  }
  SIGN_COUNTS[0] = negCount;
  SIGN_COUNTS[1] = posCount;
  SIGN_COUNTS[2] = zeroCount;
  return SIGN_COUNTS;
}

/** The first index from `from` whose (sorted) value is above x, or values.length. */
function firstAbove(values: Float64Array, from: number, x: number): number {
  // a loop, not findIndex: a callback taking a double boxes it, one heap object per value
  let i = from;
  while (i < values.length && !((values[i] as number) > x)) i++;
  return i;
}

/** Bounds with zero as its own bin: negative bins, the zero bin, positive bins. */
function boundsWithZeroBin(d: DistinctValues, maxBin: number, total: number, minDataInBin: number): number[] {
  const { values, counts } = d;
  const signs = signCounts(values, counts);
  const negCount = signs[0] as number;
  const posCount = signs[1] as number;
  const zeroCount = signs[2] as number;
  const negDistinct = firstAbove(values, 0, -K_ZERO_THRESHOLD);
  let bounds: number[] = [];
  if (negDistinct > 0 && maxBin > 1) {
    const negBins = Math.max(1, Math.trunc((negCount / (total - zeroCount)) * (maxBin - 1)));
    bounds = greedyFindBin(values, counts, 0, negDistinct, negBins, negCount, minDataInBin);
    bounds[bounds.length - 1] = -K_ZERO_THRESHOLD;
  }
  const firstPositive = firstAbove(values, negDistinct, K_ZERO_THRESHOLD);
  const posStart = firstPositive < values.length ? firstPositive : -1;
  const posBins = maxBin - 1 - bounds.length;
  if (posStart >= 0 && posBins > 0) {
    bounds.push(K_ZERO_THRESHOLD);
    const right = greedyFindBin(
      values,
      counts,
      posStart,
      values.length - posStart,
      posBins,
      posCount,
      minDataInBin,
    );
    for (const b of right) bounds.push(b);
  } else bounds.push(Number.POSITIVE_INFINITY);
  return bounds;
}

/** Index of the first bin whose upper bound is >= v (binary search). */
function valueBin(upperBounds: Float64Array, v: number): number {
  let lo = 0;
  let hi = upperBounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= (upperBounds[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** feature_pre_filter: true when no cut leaves minSplit samples on both sides. */
function cannotSplit(countInBin: number[], total: number, minSplit: number): boolean {
  let left = 0;
  for (let i = 0; i < countInBin.length - 1; i++) {
    left += countInBin[i] as number;
    if (left >= minSplit && total - left >= minSplit) return false;
  }
  return true;
}

/** The sample as LightGBM sees it: its non-zero values sorted, and how many were NaN. */
export function nonZeroSample(
  sample: ArrayLike<number>,
  scratch?: BinScratch,
): { sorted: Float64Array; nanCount: number } {
  const nonZero = workArray(scratch?.nonZero, sample.length);
  let numNonZero = 0;
  let nanCount = 0;
  for (let i = 0; i < sample.length; i++) {
    const v = sample[i] as number;
    if (Number.isNaN(v)) nanCount++;
    else if (Math.abs(v) > K_ZERO_THRESHOLD) nonZero[numNonZero++] = v;
  }
  return { sorted: sortDoubles(nonZero.subarray(0, numNonZero)), nanCount };
}

/** Builds the mapper from a sample of the feature's values (NaN allowed); keeps nothing of `scratch`. */
export function buildBinMapper(
  sample: ArrayLike<number>,
  options: BinningOptions,
  scratch?: BinScratch,
): BinMapper {
  if (options.categorical === true) return buildCategoricalMapper(sample, options);
  const useMissing = options.useMissing ?? true;
  const zeroAsMissing = options.zeroAsMissing ?? false;
  const total = sample.length;
  const { sorted, nanCount } = nonZeroSample(sample, scratch);
  let missingType: MissingType = MissingType.None;
  if (useMissing && zeroAsMissing) missingType = MissingType.Zero;
  else if (useMissing && nanCount > 0) missingType = MissingType.NaN;
  // without a NaN bin, NaN samples count as zeros
  const naInOwnBin = missingType === MissingType.NaN ? nanCount : 0;
  const distinct = distinctWithZero(sorted, total - sorted.length - naInOwnBin, scratch);
  const valueBins = missingType === MissingType.NaN ? options.maxBin - 1 : options.maxBin;
  const bounds = boundsWithZeroBin(distinct, valueBins, total - naInOwnBin, options.minDataInBin);
  if (missingType === MissingType.Zero && bounds.length === 2) missingType = MissingType.None;
  const upperBounds = Float64Array.from(bounds);
  const numBins = upperBounds.length + (missingType === MissingType.NaN ? 1 : 0);

  const countInBin = binCounts(distinct, upperBounds, numBins);
  if (missingType === MissingType.NaN) countInBin[numBins - 1] = nanCount;
  const minSplit = options.minSplitData ?? 0;
  const isTrivial = numBins <= 1 || (minSplit > 0 && cannotSplit(countInBin, total, minSplit));

  const zeroBin = valueBin(upperBounds, 0);
  const fullest = fullestBin(countInBin);
  const mostFreqBin =
    fullest !== zeroBin && (countInBin[fullest] as number) / total < 0.7 ? zeroBin : fullest;
  const nanBin = missingType === MissingType.NaN ? numBins - 1 : -1;
  return {
    upperBounds,
    numBins,
    missingType,
    nanBin,
    zeroBin,
    missingBin: missingType === MissingType.NaN ? nanBin : missingType === MissingType.Zero ? zeroBin : -1,
    mostFreqBin,
    minValue: distinct.values[0] as number,
    maxValue: distinct.values[distinct.values.length - 1] as number,
    isTrivial,
  };
}

/** Samples per bin (numBins of them, the NaN bin's left at 0) from the distinct values' counts. */
function binCounts(distinct: DistinctValues, upperBounds: Float64Array, numBins: number): number[] {
  const countInBin = new Array<number>(numBins).fill(0);
  let bin = 0;
  for (let i = 0; i < distinct.values.length; i++) {
    const v = distinct.values[i] as number;
    while (bin < upperBounds.length - 1 && v > (upperBounds[bin] as number)) bin++;
    countInBin[bin] = (countInBin[bin] as number) + (distinct.counts[i] as number);
  }
  return countInBin;
}

/** The first bin holding the most samples. */
function fullestBin(countInBin: number[]): number {
  let fullest = 0;
  for (let b = 1; b < countInBin.length; b++)
    if ((countInBin[b] as number) > (countInBin[fullest] as number)) fullest = b;
  return fullest;
}

/** Maps a raw value to its bin; NaN goes to the NaN bin, or to 0's bin without one. */
export function valueToBin(mapper: BinMapper, v: number): number {
  if (mapper.categorical !== undefined) return categoryToBin(mapper.categorical, v);
  if (Number.isNaN(v)) return mapper.nanBin >= 0 ? mapper.nanBin : mapper.zeroBin;
  return valueBin(mapper.upperBounds, v);
}

/** The real-valued threshold written into the model for a split "bin <= t goes left". */
export function binThreshold(mapper: BinMapper, bin: number): number {
  return mapper.upperBounds[bin] as number;
}

/** LightGBM's feature_infos entry: "[min:max]" (%.17g), or "none" for a feature that cannot split. */
export function featureInfo(mapper: BinMapper): string {
  if (mapper.isTrivial) return 'none';
  // categorical: the categories in bin order, as LightGBM's bin_info_string
  if (mapper.categorical !== undefined) return Array.from(mapper.categorical.categories).join(':');
  return `[${formatDouble17(mapper.minValue)}:${formatDouble17(mapper.maxValue)}]`;
}
