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
  /** Running [gradient, hessian, estimated count] of the side a scan grows (reused). */
  acc: Float64Array;
}

const SCAN_ACC = new Float64Array(3);

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

/** Keeps a candidate that clears the parent's gain and beats the scan's best strictly. */
function offer(
  c: ScanContext,
  out: ScanBest,
  lg: number,
  lh: number,
  lc: number,
  rh: number,
  bin: number,
): void {
  const gain = leafGain(lg, lh, c.p) + leafGain(c.sumGrad - lg, rh, c.p);
  if (gain <= c.minGainShift || gain <= out.gain) return;
  out.gain = gain;
  out.lg = lg;
  out.lh = lh;
  out.lc = lc;
  out.bin = bin;
}

/** Adds bin b to a side's running [gradient, hessian, estimated count]. */
function addBin(c: ScanContext, acc: Float64Array, b: number): void {
  const s = c.base + b * HIST_STRIDE;
  acc[0] = (acc[0] as number) + (c.hist[s] as number);
  acc[1] = (acc[1] as number) + (c.hist[s + 1] as number);
  acc[2] = (acc[2] as number) + binCount(c.hist[s + 1] as number, c.cntFactor);
}

/** 1: both sides are big enough; 0: the growing side is not yet; -1: the other side no longer is. */
function sidesOk(c: ScanContext, acc: Float64Array): number {
  const p = c.p;
  if ((acc[2] as number) < p.minDataInLeaf || (acc[1] as number) < p.minSumHessianInLeaf) return 0;
  if (
    c.count - (acc[2] as number) < p.minDataInLeaf ||
    c.sumHess - (acc[1] as number) < p.minSumHessianInLeaf
  )
    return -1;
  return 1;
}

/** From the top bin `top` down: bins above the threshold go right, the rest left. */
function scanDown(c: ScanContext, top: number, out: ScanBest): void {
  const right = c.acc;
  right[0] = 0;
  right[1] = K_EPSILON;
  right[2] = 0;
  for (let b = top; b >= 1; b--) {
    if (b === c.skip) continue;
    addBin(c, right, b);
    const ok = sidesOk(c, right);
    if (ok === 0) continue;
    if (ok < 0) break;
    const rh = right[1] as number;
    offer(
      c,
      out,
      c.sumGrad - (right[0] as number),
      c.sumHess - rh,
      c.count - (right[2] as number),
      rh,
      b - 1,
    );
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
  const left = c.acc;
  left[0] = 0;
  left[1] = K_EPSILON;
  left[2] = 0;
  let t = binZeroImplicit ? 1 : 0;
  if (binZeroImplicit && nanBin) {
    const others = new Float64Array(3);
    left[0] = c.sumGrad;
    left[1] = c.sumHess - K_EPSILON;
    left[2] = c.count;
    for (let b = 1; b <= last + 1; b++) {
      // subtract bin by bin, in LightGBM's order
      others.fill(0);
      addBin(c, others, b);
      left[0] = (left[0] as number) - (others[0] as number);
      left[1] = (left[1] as number) - (others[1] as number);
      left[2] = (left[2] as number) - (others[2] as number);
    }
    t = 0;
  }
  for (; t <= last; t++) {
    if (t === c.skip) continue;
    if (!(binZeroImplicit && t === 0)) addBin(c, left, t);
    const ok = sidesOk(c, left);
    if (ok === 0) continue;
    if (ok < 0) break;
    const lh = left[1] as number;
    offer(c, out, left[0] as number, lh, left[2] as number, c.sumHess - lh, t);
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
    acc: SCAN_ACC,
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
