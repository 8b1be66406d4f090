/**
 * Best split of one leaf from its histogram (LightGBM's FeatureHistogram::FindBestThreshold, for
 * numerical features): which scans run for each missing type is described at findBestThreshold.
 * Gains use L1 soft-thresholding and L2 shrinkage of the gradient sums.
 */
import type { BinMapper } from '../dataset/bin-mapper.js';
import { MissingType } from '../model.js';
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
  leftOutput: number;
  rightOutput: number;
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
    leftOutput: 0,
    rightOutput: 0,
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

/** LightGBM's kEpsilon (1e-15f widened to double), added to hessian sums in the scans. */
export const K_EPSILON = 1.0000000036274937e-15;

/** LightGBM estimates a bin's row count from its hessian: round(hess · count / leaf hessian). */
function binCount(hess: number, cntFactor: number): number {
  return Math.floor(hess * cntFactor + 0.5);
}

/** The leaf-level inputs of one feature's scans. */
interface ScanContext {
  hist: Float64Array;
  base: number;
  sumGrad: number;
  /** The leaf's hessian plus 2·kEpsilon, as LightGBM passes it. */
  sumHess: number;
  count: number;
  cntFactor: number;
  minGainShift: number;
  /** A bin left out of the scan (the zero bin under zero_as_missing), or -1. */
  skip: number;
  p: SplitParams;
}

/** The best candidate of one scan: left sums and the threshold bin, gain -Infinity if none. */
interface ScanBest {
  gain: number;
  lg: number;
  lh: number;
  lc: number;
  bin: number;
}

function scanBest(): ScanBest {
  return { gain: Number.NEGATIVE_INFINITY, lg: 0, lh: 0, lc: 0, bin: 0 };
}

/** From the top bin `top` down: bins above the threshold go right, the rest left. */
function scanDown(c: ScanContext, top: number, out: ScanBest): void {
  const { hist, base, p } = c;
  let rg = 0;
  let rh = K_EPSILON;
  let rc = 0;
  for (let b = top; b >= 1; b--) {
    if (b === c.skip) continue;
    const s = base + b * HIST_STRIDE;
    rg += hist[s] as number;
    rh += hist[s + 1] as number;
    rc += binCount(hist[s + 1] as number, c.cntFactor);
    if (rc < p.minDataInLeaf || rh < p.minSumHessianInLeaf) continue;
    const lc = c.count - rc;
    const lh = c.sumHess - rh;
    if (lc < p.minDataInLeaf || lh < p.minSumHessianInLeaf) break;
    const lg = c.sumGrad - rg;
    const gain = leafGain(lg, lh, p) + leafGain(rg, rh, p);
    if (gain <= c.minGainShift || gain <= out.gain) continue;
    out.gain = gain;
    out.lg = lg;
    out.lh = lh;
    out.lc = lc;
    out.bin = b - 1;
  }
}

/**
 * From bin 0 up to `last`: bins up to the threshold go left, the rest (and skipped bins) right.
 * When bin 0 is the most frequent one LightGBM holds no histogram entry for it: with a NaN bin it
 * starts the left side as the leaf minus every other bin; otherwise bin 0 is never added (that
 * only happens to a Zero-missing feature whose zero bin is bin 0, which is skipped anyway).
 */
function scanUp(
  c: ScanContext,
  last: number,
  binZeroImplicit: boolean,
  nanBin: boolean,
  out: ScanBest,
): void {
  const { hist, base, p } = c;
  let lg = 0;
  let lh = K_EPSILON;
  let lc = 0;
  let t = 0;
  if (binZeroImplicit) {
    t = 1;
    if (nanBin) {
      lg = c.sumGrad;
      lh = c.sumHess - K_EPSILON;
      lc = c.count;
      for (let b = 1; b <= last + 1; b++) {
        const s = base + b * HIST_STRIDE;
        lg -= hist[s] as number;
        lh -= hist[s + 1] as number;
        lc -= binCount(hist[s + 1] as number, c.cntFactor);
      }
      t = 0;
    }
  }
  for (; t <= last; t++) {
    if (t === c.skip) continue;
    if (!(binZeroImplicit && t === 0)) {
      const s = base + t * HIST_STRIDE;
      lg += hist[s] as number;
      lh += hist[s + 1] as number;
      lc += binCount(hist[s + 1] as number, c.cntFactor);
    }
    if (lc < p.minDataInLeaf || lh < p.minSumHessianInLeaf) continue;
    const rc = c.count - lc;
    const rh = c.sumHess - lh;
    if (rc < p.minDataInLeaf || rh < p.minSumHessianInLeaf) break;
    const gain = leafGain(lg, lh, p) + leafGain(c.sumGrad - lg, rh, p);
    if (gain <= c.minGainShift || gain <= out.gain) continue;
    out.gain = gain;
    out.lg = lg;
    out.lh = lh;
    out.lc = lc;
    out.bin = t;
  }
}

/**
 * Updates `best` if feature f (histogram slots from `offset`) has a better split than it holds,
 * scanning as LightGBM's FeatureHistogram does for numerical features:
 * - missing type None (or at most two bins): one scan from the top, default left; a two-bin NaN
 *   feature then sends NaN right;
 * - NaN: a scan from the top with NaN left, then from the bottom with NaN right;
 * - Zero: the same two scans skipping the zero bin, which goes left, then right.
 * Side counts are estimated from the hessians and both sides carry kEpsilon of hessian, as in
 * LightGBM, so min_data_in_leaf and the gains see what LightGBM sees. The recorded gain is
 * gain(left) + gain(right) − gain(parent) − min_gain_to_split; the bottom-up scan must beat the
 * top-down one strictly, and a later feature must beat an earlier one strictly.
 */
export function findBestThreshold(
  hist: Float64Array,
  offset: number,
  mapper: BinMapper,
  feature: number,
  sumGrad: number,
  leafHess: number,
  count: number,
  p: SplitParams,
  best: SplitCandidate,
): void {
  const sumHess = leafHess + 2 * K_EPSILON;
  const twoScans = mapper.numBins > 2 && mapper.missingType !== MissingType.None;
  const c: ScanContext = {
    hist,
    base: offset * HIST_STRIDE,
    sumGrad,
    sumHess,
    count,
    cntFactor: count / sumHess,
    minGainShift: leafGain(sumGrad, sumHess, p) + p.minGainToSplit,
    skip: twoScans && mapper.missingType === MissingType.Zero ? mapper.zeroBin : -1,
    p,
  };
  const nanLast = twoScans && mapper.missingType === MissingType.NaN ? 1 : 0;
  const down = scanBest();
  scanDown(c, mapper.numBins - 1 - nanLast, down);
  let chosen = down;
  let defaultLeft = !(mapper.missingType === MissingType.NaN && !twoScans);
  if (twoScans) {
    const up = scanBest();
    scanUp(c, mapper.numBins - 2, mapper.mostFreqBin === 0, nanLast === 1, up);
    if (up.gain > down.gain) {
      chosen = up;
      defaultLeft = false;
    }
  }
  const gain = chosen.gain - c.minGainShift;
  if (chosen.gain === Number.NEGATIVE_INFINITY || !(gain > best.gain)) return;
  const rg = sumGrad - chosen.lg;
  const rh = sumHess - chosen.lh;
  best.gain = gain;
  best.feature = feature;
  best.thresholdBin = chosen.bin;
  best.defaultLeft = defaultLeft;
  // outputs from the sums with kEpsilon, the children's hessians without it, as LightGBM keeps them
  best.leftOutput = leafOutput(chosen.lg, chosen.lh, p);
  best.rightOutput = leafOutput(rg, rh, p);
  best.leftGrad = chosen.lg;
  best.leftHess = chosen.lh - K_EPSILON;
  best.leftCount = chosen.lc;
  best.rightGrad = rg;
  best.rightHess = rh - K_EPSILON;
  best.rightCount = count - chosen.lc;
}
