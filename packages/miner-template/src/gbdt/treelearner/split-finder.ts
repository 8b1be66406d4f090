/**
 * Best split of one leaf from its histogram (LightGBM's FeatureHistogram::FindBestThreshold, for
 * numerical features). For a feature with a NaN bin both directions for missing values are tried:
 * a scan from the top puts NaN on the left (default left), a scan from the bottom puts NaN on the
 * right. Without a NaN bin one scan suffices and default-left is set, as LightGBM writes it.
 * Gains use L1 soft-thresholding and L2 shrinkage of the gradient sums.
 */
import type { BinMapper } from '../dataset/bin-mapper.js';
import { HIST_STRIDE } from './histogram.js';

export interface SplitParams {
  lambdaL1: number;
  lambdaL2: number;
  minDataInLeaf: number;
  minSumHessianInLeaf: number;
  minGainToSplit: number;
}

/** A leaf's best split; gain is -Infinity when the leaf cannot split. */
export interface SplitCandidate {
  gain: number;
  feature: number;
  thresholdBin: number;
  defaultLeft: boolean;
  leftGrad: number;
  leftHess: number;
  leftCount: number;
  rightGrad: number;
  rightHess: number;
  rightCount: number;
}

export function emptySplit(): SplitCandidate {
  return {
    gain: Number.NEGATIVE_INFINITY,
    feature: -1,
    thresholdBin: 0,
    defaultLeft: true,
    leftGrad: 0,
    leftHess: 0,
    leftCount: 0,
    rightGrad: 0,
    rightHess: 0,
    rightCount: 0,
  };
}

function thresholdL1(g: number, l1: number): number {
  if (l1 <= 0) return g;
  const reduced = Math.abs(g) - l1;
  return reduced > 0 ? Math.sign(g) * reduced : 0;
}

/** The structure score of a leaf: ThresholdL1(G)^2 / (H + λ2). */
export function leafGain(g: number, h: number, p: SplitParams): number {
  const sg = thresholdL1(g, p.lambdaL1);
  return (sg * sg) / (h + p.lambdaL2);
}

/** The optimal leaf value: −ThresholdL1(G) / (H + λ2). */
export function leafOutput(g: number, h: number, p: SplitParams): number {
  return -thresholdL1(g, p.lambdaL1) / (h + p.lambdaL2);
}

/**
 * Updates `best` if feature f (histogram slots from `offset`) has a better split than it holds.
 * The recorded gain is LightGBM's: gain(left) + gain(right) − gain(parent) − min_gain_to_split.
 * Ties keep the earlier candidate, so lower feature indices win when scanned in order.
 */
export function findBestThreshold(
  hist: Float64Array,
  offset: number,
  mapper: BinMapper,
  feature: number,
  sumGrad: number,
  sumHess: number,
  count: number,
  p: SplitParams,
  best: SplitCandidate,
): void {
  const minGainShift = leafGain(sumGrad, sumHess, p) + p.minGainToSplit;
  const hasNan = mapper.nanBin >= 0;
  const valueBins = hasNan ? mapper.numBins - 1 : mapper.numBins;
  const base = offset * HIST_STRIDE;
  const minData = p.minDataInLeaf;
  const minHess = p.minSumHessianInLeaf;

  // Scan from the top: right = value bins above t; the rest (NaN included) goes left.
  let rg = 0;
  let rh = 0;
  let rc = 0;
  for (let t = valueBins - 2; t >= 0; t--) {
    const s = base + (t + 1) * HIST_STRIDE;
    rg += hist[s];
    rh += hist[s + 1];
    rc += hist[s + 2];
    if (rc < minData || rh < minHess) continue;
    const lc = count - rc;
    const lh = sumHess - rh;
    if (lc < minData || lh < minHess) break;
    const lg = sumGrad - rg;
    const gain = leafGain(lg, lh, p) + leafGain(rg, rh, p);
    if (gain > minGainShift && gain - minGainShift > best.gain) {
      record(best, gain - minGainShift, feature, t, true, lg, lh, lc, rg, rh, rc);
    }
  }
  if (!hasNan) return;

  // Scan from the bottom: left = value bins up to t; the rest (NaN included) goes right.
  let lg = 0;
  let lh = 0;
  let lc = 0;
  for (let t = 0; t < valueBins; t++) {
    const s = base + t * HIST_STRIDE;
    lg += hist[s];
    lh += hist[s + 1];
    lc += hist[s + 2];
    if (lc < minData || lh < minHess) continue;
    const rc2 = count - lc;
    const rh2 = sumHess - lh;
    if (rc2 < minData || rh2 < minHess) break;
    const rg2 = sumGrad - lg;
    const gain = leafGain(lg, lh, p) + leafGain(rg2, rh2, p);
    if (gain > minGainShift && gain - minGainShift > best.gain) {
      record(best, gain - minGainShift, feature, t, false, lg, lh, lc, rg2, rh2, rc2);
    }
  }
}

function record(
  best: SplitCandidate,
  gain: number,
  feature: number,
  thresholdBin: number,
  defaultLeft: boolean,
  lg: number,
  lh: number,
  lc: number,
  rg: number,
  rh: number,
  rc: number,
): void {
  best.gain = gain;
  best.feature = feature;
  best.thresholdBin = thresholdBin;
  best.defaultLeft = defaultLeft;
  best.leftGrad = lg;
  best.leftHess = lh;
  best.leftCount = lc;
  best.rightGrad = rg;
  best.rightHess = rh;
  best.rightCount = rc;
}
