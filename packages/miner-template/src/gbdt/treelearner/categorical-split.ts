/**
 * Best split of one leaf on a categorical feature (LightGBM's FindBestThresholdCategoricalInner):
 * - at most max_cat_to_onehot bins: one category against the rest;
 * - more: the categories holding at least cat_smooth rows are sorted by
 *   sum_gradient / (sum_hessian + cat_smooth) and scanned from both ends, growing the left set up
 *   to max_cat_threshold categories, trying a cut only once min_data_per_group rows have been
 *   added since the last one; these gains use lambda_l2 + cat_l2.
 * Bin 0 (NaN, negative, rare or unseen categories) is never in the left set, so it goes right.
 */
import type { BinMapper } from '../dataset/bin-mapper.js';
import { HIST_STRIDE } from './histogram.js';
import {
  boundedOutput,
  gainGivenOutput,
  K_EPSILON,
  type LeafContext,
  leafGain,
  minSideHessian,
  type SplitParams,
  splitGain,
  usesSmoothing,
} from './leaf-math.js';
import { binCount, type SplitCandidate } from './split-finder.js';

export interface CategoricalParams {
  maxCatToOnehot: number;
  catSmooth: number;
  catL2: number;
  maxCatThreshold: number;
  minDataPerGroup: number;
}

/** Returns LightGBM's is_splittable; `out` gets the split, or gain -Infinity. */
export function findBestCategorical(
  hist: Float64Array,
  offset: number,
  mapper: BinMapper,
  feature: number,
  sumGrad: number,
  leafHess: number,
  count: number,
  p: SplitParams,
  cp: CategoricalParams,
  leaf: LeafContext,
  out: SplitCandidate,
): boolean {
  const sumHess = leafHess + 2 * K_EPSILON;
  const minHess = minSideHessian(p);
  const base = offset * HIST_STRIDE;
  const grad = (b: number) => hist[base + b * HIST_STRIDE] as number;
  const hess = (b: number) => hist[base + b * HIST_STRIDE + 1] as number;
  // without smoothing the parent's gain uses the plain lambda_l2, not the categorical one
  const gainShift = usesSmoothing(p)
    ? gainGivenOutput(sumGrad, sumHess, p, leaf.parentOutput, p.lambdaL2)
    : leafGain(sumGrad, sumHess, p);
  const minGainShift = gainShift + p.minGainToSplit;
  const numBins = mapper.numBins;
  const cntFactor = count / sumHess;
  let splittable = false;
  let bestGain = Number.NEGATIVE_INFINITY;
  let bestLG = 0;
  let bestLH = 0;
  let bestLC = 0;
  let bestThreshold = -1;
  let bestDir = 1;
  let l2 = p.lambdaL2;
  const oneHot = numBins <= cp.maxCatToOnehot;
  const sorted: number[] = [];
  if (oneHot) {
    for (let t = 1; t < numBins; t++) {
      const g = grad(t);
      const h = hess(t);
      const cnt = binCount(h, cntFactor);
      if (cnt < p.minDataInLeaf || h < minHess) continue;
      const otherCount = count - cnt;
      if (otherCount < p.minDataInLeaf) continue;
      const otherHess = sumHess - h - K_EPSILON;
      if (otherHess < minHess) continue;
      const gain = splitGain(sumGrad - g, otherHess, otherCount, g, h + K_EPSILON, cnt, p, leaf, 0, l2);
      if (gain <= minGainShift) continue;
      splittable = true;
      if (gain > bestGain) {
        bestThreshold = t;
        bestLG = g;
        bestLH = h + K_EPSILON;
        bestLC = cnt;
        bestGain = gain;
      }
    }
  } else {
    for (let b = 1; b < numBins; b++) if (binCount(hess(b), cntFactor) >= cp.catSmooth) sorted.push(b);
    const usedBin = sorted.length;
    l2 += cp.catL2;
    const ctr = (b: number) => grad(b) / (hess(b) + cp.catSmooth);
    // Array.prototype.sort is stable, as LightGBM's std::stable_sort
    sorted.sort((a, b) => {
      const x = ctr(a);
      const y = ctr(b);
      return x < y ? -1 : y < x ? 1 : 0;
    });
    const maxNumCat = Math.min(cp.maxCatThreshold, Math.trunc((usedBin + 1) / 2));
    for (const dir of [1, -1]) {
      let pos = dir === 1 ? 0 : usedBin - 1;
      let cntCurGroup = 0;
      let lg = 0;
      let lh = K_EPSILON;
      let lc = 0;
      for (let i = 0; i < usedBin && i < maxNumCat; i++) {
        const t = sorted[pos] as number;
        pos += dir;
        const h = hess(t);
        const cnt = binCount(h, cntFactor);
        lg += grad(t);
        lh += h;
        lc += cnt;
        cntCurGroup += cnt;
        if (lc < p.minDataInLeaf || lh < minHess) continue;
        const rc = count - lc;
        if (rc < p.minDataInLeaf || rc < cp.minDataPerGroup) break;
        const rh = sumHess - lh;
        if (rh < minHess) break;
        if (cntCurGroup < cp.minDataPerGroup) continue;
        cntCurGroup = 0;
        const gain = splitGain(lg, lh, lc, sumGrad - lg, rh, rc, p, leaf, 0, l2);
        if (gain <= minGainShift) continue;
        splittable = true;
        if (gain > bestGain) {
          bestLC = lc;
          bestLG = lg;
          bestLH = lh;
          bestThreshold = i;
          bestGain = gain;
          bestDir = dir;
        }
      }
    }
  }
  out.gain = Number.NEGATIVE_INFINITY;
  out.feature = feature;
  out.monotone = 0;
  if (!splittable) return false;
  out.leftOutput = boundedOutput(bestLG, bestLH, bestLC, p, leaf, l2);
  out.rightOutput = boundedOutput(sumGrad - bestLG, sumHess - bestLH, count - bestLC, p, leaf, l2);
  out.leftGrad = bestLG;
  out.leftHess = bestLH - K_EPSILON;
  out.leftCount = bestLC;
  out.rightGrad = sumGrad - bestLG;
  out.rightHess = sumHess - bestLH - K_EPSILON;
  out.rightCount = count - bestLC;
  out.gain = bestGain - minGainShift;
  out.defaultLeft = false;
  out.thresholdBin = 0;
  if (oneHot) out.catBins = [bestThreshold];
  else {
    const n = bestThreshold + 1;
    out.catBins = Array.from({ length: n }, (_, i) =>
      bestDir === 1 ? (sorted[i] as number) : (sorted[sorted.length - 1 - i] as number),
    );
  }
  return true;
}
