/**
 * Binning of one categorical feature as LightGBM's BinMapper::FindBin does it (src/io/bin.cpp):
 * values are truncated to int; NaN and negative values are "missing"; categories are ranked by
 * sample count (ties by value) and each gets a bin until 99% of the non-missing samples are
 * covered and max_bin is reached, stopping early at a category rarer than min_data_in_bin (after
 * the first two). Bin 0 (category -1) collects NaN, negative, rare and unseen categories, and
 * always sends them right. Missing type is None when every category got a bin and nothing was
 * missing, else NaN (written into decision_type).
 */
import { MissingType } from '../model.js';
import {
  type BinMapper,
  type BinningOptions,
  type CategoricalBins,
  distinctWithZero,
  nonZeroSample,
} from './bin-mapper.js';

/** LightGBM's static_cast<int>(double): truncation; out-of-range values come out as INT_MIN (x86). */
export function toCategory(v: number): number {
  const t = Math.trunc(v);
  return t >= 2147483648 || t < -2147483648 ? -2147483648 : t;
}

/** The bin of a raw value: its category's bin, or 0 for NaN, negative and unbinned categories. */
export function categoryToBin(c: CategoricalBins, v: number): number {
  if (Number.isNaN(v)) return 0;
  const cat = toCategory(v);
  if (cat < 0) return 0;
  return c.binOf.get(cat) ?? 0;
}

/** feature_pre_filter for categorical features: only a one- or two-bin feature can be filtered. */
function cannotSplitCategorical(countInBin: number[], total: number, minSplit: number): boolean {
  if (countInBin.length > 2) return false;
  for (let i = 0; i < countInBin.length - 1; i++) {
    const left = countInBin[i] as number;
    if (left >= minSplit && total - left >= minSplit) return false;
  }
  return true;
}

export function buildCategoricalMapper(sample: ArrayLike<number>, options: BinningOptions): BinMapper {
  const useMissing = options.useMissing ?? true;
  const total = sample.length;
  const { sorted, nanCount } = nonZeroSample(sample);
  // LightGBM counts NaN apart only when use_missing (zero_as_missing does not apply here)
  let naCount = useMissing && !(options.zeroAsMissing ?? false) ? nanCount : 0;
  const distinct = distinctWithZero(sorted, total - sorted.length - naCount);
  const cats: number[] = [];
  const counts: number[] = [];
  distinct.values.forEach((v, i) => {
    const cat = toCategory(v);
    const n = distinct.counts[i] as number;
    if (cat < 0) naCount += n;
    else if (cats.length > 0 && cats[cats.length - 1] === cat) counts[counts.length - 1] += n;
    else {
      cats.push(cat);
      counts.push(n);
    }
  });
  const categories: number[] = [-1];
  const countInBin: number[] = [0];
  let missingType: MissingType = MissingType.NaN;
  if (total - naCount > 0) {
    // stable sort by count, descending
    const order = cats
      .map((_, i) => i)
      .sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
    const cut = Math.floor(Math.fround(Math.fround(total - naCount) * Math.fround(0.99)) + 0.5);
    const maxBin = Math.min(cats.length + (naCount > 0 ? 1 : 0), options.maxBin);
    let used = 0;
    let k = 0;
    while (k < order.length && (used < cut || categories.length < maxBin)) {
      const c = counts[order[k] as number] as number;
      if (c < options.minDataInBin && k > 1) break;
      categories.push(cats[order[k] as number] as number);
      countInBin.push(c);
      used += c;
      k++;
    }
    if (k === order.length && naCount === 0) missingType = MissingType.None;
    countInBin[0] = total - used;
  }
  const binOf = new Map<number, number>();
  categories.forEach((cat, b) => {
    if (b > 0) binOf.set(cat, b);
  });
  const numBins = categories.length;
  const minSplit = options.minSplitData ?? 0;
  const isTrivial = numBins <= 1 || (minSplit > 0 && cannotSplitCategorical(countInBin, total, minSplit));
  const zeroBin = binOf.get(0) ?? 0;
  let fullest = 0;
  for (let b = 1; b < numBins; b++)
    if ((countInBin[b] as number) > (countInBin[fullest] as number)) fullest = b;
  const mostFreqBin =
    fullest !== zeroBin && (countInBin[fullest] as number) / total < 0.7 ? zeroBin : fullest;
  return {
    upperBounds: new Float64Array(0),
    numBins,
    missingType,
    nanBin: -1,
    zeroBin,
    missingBin: -1,
    mostFreqBin: isTrivial ? 0 : mostFreqBin,
    minValue: 0,
    maxValue: 0,
    isTrivial,
    categorical: { categories: Int32Array.from(categories), binOf },
  };
}
