/**
 * Quantile binning of one numerical feature (LightGBM's BinMapper, src/io/bin.cpp, in spirit):
 * distinct values are grouped greedily into at most `maxBin` bins of roughly equal weight, each bin
 * holding at least `minDataInBin` samples where possible. Bin k covers (upper[k-1], upper[k]]; the
 * last value bin is open to +Infinity. A feature that had NaN in training gets one extra bin for
 * NaN (missing type NaN); otherwise NaN is treated as 0, as LightGBM does for missing type None.
 */
import { MissingType } from '../model.js';

export interface BinMapper {
  /** Upper bound of each value bin, increasing; the last one is +Infinity. */
  upperBounds: Float64Array;
  /** Value bins plus the NaN bin when there is one. */
  numBins: number;
  missingType: MissingType;
  /** Index of the NaN bin (numBins - 1) or -1 when missing type is None. */
  nanBin: number;
  /** The bin that 0.0 falls in: where NaN goes when the feature has no NaN bin. */
  zeroBin: number;
  minValue: number;
  maxValue: number;
  /** One bin only: the feature cannot split and is reported as "none". */
  isTrivial: boolean;
}

export interface BinningOptions {
  maxBin: number;
  minDataInBin: number;
}

/** A threshold strictly between two adjacent distinct values a < b, close to their midpoint. */
function boundaryBetween(a: number, b: number): number {
  const mid = a / 2 + b / 2;
  return mid >= a && mid < b ? mid : a;
}

/** Builds the mapper from a sample of the feature's values (NaN allowed). */
export function buildBinMapper(sample: ArrayLike<number>, options: BinningOptions): BinMapper {
  const finite: number[] = [];
  let nanCount = 0;
  for (let i = 0; i < sample.length; i++) {
    const v = sample[i];
    if (Number.isNaN(v)) nanCount++;
    else finite.push(v === 0 ? 0 : v); // folds -0 into 0
  }
  const sorted = Float64Array.from(finite).sort();
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (values.length > 0 && sorted[i] === values[values.length - 1]) counts[counts.length - 1]++;
    else {
      values.push(sorted[i]);
      counts.push(1);
    }
  }
  const hasNan = nanCount > 0;
  const maxValueBins = Math.max(1, hasNan ? options.maxBin - 1 : options.maxBin);
  const bounds = greedyBounds(values, counts, maxValueBins, options.minDataInBin);
  const upperBounds = Float64Array.from(bounds);
  const numBins = upperBounds.length + (hasNan ? 1 : 0);
  const mapper: BinMapper = {
    upperBounds,
    numBins,
    missingType: hasNan ? MissingType.NaN : MissingType.None,
    nanBin: hasNan ? numBins - 1 : -1,
    zeroBin: 0,
    minValue: values.length > 0 ? values[0] : 0,
    maxValue: values.length > 0 ? values[values.length - 1] : 0,
    isTrivial: numBins <= 1 || values.length === 0,
  };
  mapper.zeroBin = valueBin(upperBounds, 0);
  return mapper;
}

/**
 * Greedy quantile cut: walk distinct values, close a bin once it holds its fair share of what is
 * left (remaining count / remaining bins) and at least minDataInBin. With few distinct values every
 * value gets its own bin subject to minDataInBin, as in LightGBM.
 */
function greedyBounds(values: number[], counts: number[], maxBins: number, minDataInBin: number): number[] {
  const bounds: number[] = [];
  if (values.length === 0) return [Number.POSITIVE_INFINITY];
  let remaining = 0;
  for (const c of counts) remaining += c;
  const fewDistinct = values.length <= maxBins;
  let binsLeft = maxBins;
  let acc = 0;
  for (let i = 0; i < values.length - 1 && binsLeft > 1; i++) {
    acc += counts[i];
    const target = fewDistinct ? minDataInBin : Math.max(minDataInBin, remaining / binsLeft);
    if (acc >= target && remaining - acc >= minDataInBin) {
      bounds.push(boundaryBetween(values[i], values[i + 1]));
      remaining -= acc;
      acc = 0;
      binsLeft--;
    }
  }
  bounds.push(Number.POSITIVE_INFINITY);
  return bounds;
}

/** Index of the first bin whose upper bound is >= v (binary search). */
function valueBin(upperBounds: Float64Array, v: number): number {
  let lo = 0;
  let hi = upperBounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= upperBounds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Maps a raw value to its bin; NaN goes to the NaN bin, or to 0's bin without one. */
export function valueToBin(mapper: BinMapper, v: number): number {
  if (Number.isNaN(v)) return mapper.nanBin >= 0 ? mapper.nanBin : mapper.zeroBin;
  return valueBin(mapper.upperBounds, v);
}

/** The real-valued threshold written into the model for a split "bin <= t goes left". */
export function binThreshold(mapper: BinMapper, bin: number): number {
  return mapper.upperBounds[bin];
}

/** LightGBM's feature_infos entry: "[min:max]", or "none" for a feature that cannot split. */
export function featureInfo(mapper: BinMapper): string {
  return mapper.isTrivial ? 'none' : `[${mapper.minValue}:${mapper.maxValue}]`;
}
