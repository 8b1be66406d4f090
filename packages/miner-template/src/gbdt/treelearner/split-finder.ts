/**
 * Best split of one leaf from its histogram (LightGBM's FeatureHistogram::FindBestThreshold, for
 * numerical features): which scans run for each missing type is described at findBestNumerical.
 * Gains and outputs come from leaf-math.ts (L1, L2, path smoothing, monotone bounds).
 */
import type { BinMapper } from '../dataset/bin-mapper.js';
import { MissingType } from '../model.js';
import { HIST_STRIDE } from './histogram.js';
import type { HistogramKernel } from './histogram-kernel.js';
import {
  boundedOutput,
  K_EPSILON,
  type LeafContext,
  minSideHessian,
  type SplitParams,
  sideGain,
  splitGain,
  thresholdL1,
  usesSmoothing,
} from './leaf-math.js';
import { NO_CATEGORIES, type SplitCandidate } from './split-candidate.js';

export { K_EPSILON, leafGain, leafOutput, type SplitParams } from './leaf-math.js';
export { emptySplit, keepBetter, NO_CATEGORIES, type SplitCandidate } from './split-candidate.js';

/** LightGBM estimates a bin's row count from its hessian: round(hess · count / leaf hessian). */
export function binCount(hess: number, cntFactor: number): number {
  return Math.floor(hess * cntFactor + 0.5);
}

/**
 * The leaf-level inputs of one feature's scans. One module-level instance is reused for every
 * feature and leaf: the scans run millions of times per training run and allocate nothing.
 */
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
  leaf: LeafContext;
  /** minSideHessian(p): the scans' hessian floor for either side. */
  minHess: number;
  /** The feature's monotone direction (-1, 0, 1). */
  direction: number;
  /** No constraints and no smoothing: the closed-form gain is computed inline. */
  plain: boolean;
  /** LightGBM's is_splittable_: some candidate cleared the parent's gain (kept across scans). */
  splittable: boolean;
  /** The WebAssembly scans, for plain leaves whose histogram lives in the kernel. */
  kernel: HistogramKernel | undefined;
}

/** The best candidate of one scan: left sums and the threshold bin, gain -Infinity if none. */
interface ScanBest {
  gain: number;
  lg: number;
  lh: number;
  lc: number;
  bin: number;
}

const DOWN: ScanBest = { gain: 0, lg: 0, lh: 0, lc: 0, bin: 0 };
const UP: ScanBest = { gain: 0, lg: 0, lh: 0, lc: 0, bin: 0 };

function resetBest(b: ScanBest): ScanBest {
  b.gain = Number.NEGATIVE_INFINITY;
  return b;
}

/**
 * gain(left) + gain(right) for a candidate. The inline branch is leaf-math's leafGain twice,
 * operation for operation, so both paths give the same bits.
 */
function candidateGain(
  c: ScanContext,
  lg: number,
  lh: number,
  lc: number,
  rg: number,
  rh: number,
  rc: number,
): number {
  const p = c.p;
  if (c.plain) {
    const l1 = p.lambdaL1;
    const l2 = p.lambdaL2;
    const sl = l1 > 0 ? thresholdL1(lg, l1) : lg;
    const sr = l1 > 0 ? thresholdL1(rg, l1) : rg;
    return (sl * sl) / (lh + l2) + (sr * sr) / (rh + l2);
  }
  return splitGain(lg, lh, lc, rg, rh, rc, p, c.leaf, c.direction);
}

/** Keeps a candidate that clears the parent's gain and beats the scan's best strictly. */
function offer(
  c: ScanContext,
  out: ScanBest,
  gain: number,
  lg: number,
  lh: number,
  lc: number,
  bin: number,
): void {
  if (gain <= c.minGainShift) return;
  c.splittable = true;
  // under constraints LightGBM also refuses a leaf whose bounds crossed
  if (gain <= out.gain || (c.p.monotone !== undefined && c.leaf.min > c.leaf.max)) return;
  out.gain = gain;
  out.lg = lg;
  out.lh = lh;
  out.lc = lc;
  out.bin = bin;
}

/** The kernel's scan result (when it ran) into `out`. */
function fromKernel(kernel: HistogramKernel, splittable: boolean, c: ScanContext, out: ScanBest): void {
  if (splittable) c.splittable = true;
  const r = kernel.scanResult;
  out.gain = r[0] as number;
  out.lg = r[1] as number;
  out.lh = r[2] as number;
  out.lc = r[3] as number;
  out.bin = r[4] as number;
}

/** From the top bin `top` down: bins above the threshold go right, the rest left. */
function scanDown(c: ScanContext, top: number, out: ScanBest): void {
  if (c.kernel !== undefined && c.plain) {
    const ok = c.kernel.scanDown(c.hist, c.base / HIST_STRIDE, top, c.skip);
    fromKernel(c.kernel, ok, c, out);
    return;
  }
  const { hist, base, cntFactor, skip, sumGrad, sumHess, count } = c;
  const minData = c.p.minDataInLeaf;
  const minHess = c.minHess;
  let rg = 0;
  let rh = K_EPSILON;
  let rc = 0;
  for (let b = top; b >= 1; b--) {
    if (b === skip) continue;
    const s = base + b * HIST_STRIDE;
    const h = hist[s + 1] as number;
    rg += hist[s] as number;
    rh += h;
    rc += Math.floor(h * cntFactor + 0.5);
    if (rc < minData || rh < minHess) continue;
    const lc = count - rc;
    const lh = sumHess - rh;
    if (lc < minData || lh < minHess) break;
    const lg = sumGrad - rg;
    offer(c, out, candidateGain(c, lg, lh, lc, rg, rh, rc), lg, lh, lc, b - 1);
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
  const { hist, base, cntFactor, skip, sumGrad, sumHess, count } = c;
  const minData = c.p.minDataInLeaf;
  const minHess = c.minHess;
  let lg = 0;
  let lh = K_EPSILON;
  let lc = 0;
  let t = binZeroImplicit ? 1 : 0;
  if (binZeroImplicit && nanBin) {
    lg = sumGrad;
    lh = sumHess - K_EPSILON;
    lc = count;
    // subtract bin by bin, in LightGBM's order
    for (let b = 1; b <= last + 1; b++) {
      const s = base + b * HIST_STRIDE;
      const h = hist[s + 1] as number;
      lg -= hist[s] as number;
      lh -= h;
      lc -= Math.floor(h * cntFactor + 0.5);
    }
    t = 0;
  }
  if (c.kernel !== undefined && c.plain) {
    const ok = c.kernel.scanUp(hist, base / HIST_STRIDE, t, last, skip, binZeroImplicit, lg, lh, lc);
    fromKernel(c.kernel, ok, c, out);
    return;
  }
  for (; t <= last; t++) {
    if (t === skip) continue;
    if (!(binZeroImplicit && t === 0)) {
      const s = base + t * HIST_STRIDE;
      const h = hist[s + 1] as number;
      lg += hist[s] as number;
      lh += h;
      lc += Math.floor(h * cntFactor + 0.5);
    }
    if (lc < minData || lh < minHess) continue;
    const rc = count - lc;
    const rh = sumHess - lh;
    if (rc < minData || rh < minHess) break;
    offer(c, out, candidateGain(c, lg, lh, lc, sumGrad - lg, rh, rc), lg, lh, lc, t);
  }
}

const CONTEXT: ScanContext = {
  hist: new Float64Array(0),
  base: 0,
  sumGrad: 0,
  sumHess: 0,
  count: 0,
  cntFactor: 0,
  minGainShift: 0,
  skip: -1,
  p: { lambdaL1: 0, lambdaL2: 0, minDataInLeaf: 0, minSumHessianInLeaf: 0, minGainToSplit: 0 },
  minHess: Number.MIN_VALUE,
  leaf: { parentOutput: 0, min: 0, max: 0 },
  direction: 0,
  plain: true,
  splittable: false,
  kernel: undefined,
};

/**
 * Feature f's best numerical split (histogram slots from `offset`), scanning as LightGBM's
 * FeatureHistogram does:
 * - missing type None (or at most two bins): one scan from the top, default left; a two-bin NaN
 *   feature then sends NaN right;
 * - NaN: a scan from the top with NaN left, then from the bottom with NaN right;
 * - Zero: the same two scans skipping the zero bin, which goes left, then right.
 * Side counts are estimated from the hessians and both sides carry kEpsilon of hessian, as in
 * LightGBM, so min_data_in_leaf and the gains see what LightGBM sees. The recorded gain is
 * gain(left) + gain(right) − gain(parent) − min_gain_to_split; the bottom-up scan must beat the
 * top-down one strictly. Returns whether any candidate cleared the parent's gain (LightGBM's
 * is_splittable, which decides whether the children look at this feature at all); `out` gets
 * gain -Infinity when there is no split.
 */
export function findBestNumerical(
  hist: Float64Array,
  offset: number,
  mapper: BinMapper,
  feature: number,
  sumGrad: number,
  leafHess: number,
  count: number,
  p: SplitParams,
  leaf: LeafContext,
  out: SplitCandidate,
  kernel?: HistogramKernel,
): boolean {
  prepareLeafScan(hist, sumGrad, leafHess, count, p, leaf, kernel);
  return findBestNumericalInLeaf(offset, mapper, feature, out);
}

/**
 * Sets up the scans of one leaf (its histogram, sums and the parameters) for
 * findBestNumericalInLeaf. Once per leaf rather than per feature: what depends only on the leaf is
 * computed once, and the per-feature calls pass no doubles (V8 boxes a double argument of a call
 * it does not inline in a fresh heap object: millions of them per training run).
 */
export function prepareLeafScan(
  hist: Float64Array,
  sumGrad: number,
  leafHess: number,
  count: number,
  p: SplitParams,
  leaf: LeafContext,
  kernel?: HistogramKernel,
): void {
  const c = CONTEXT;
  const sumHess = leafHess + 2 * K_EPSILON;
  c.hist = hist;
  c.sumGrad = sumGrad;
  c.sumHess = sumHess;
  c.count = count;
  c.cntFactor = count / sumHess;
  c.minGainShift = sideGain(sumGrad, sumHess, count, p, leaf.parentOutput) + p.minGainToSplit;
  c.p = p;
  c.leaf = leaf;
  c.minHess = minSideHessian(p);
  c.plain = p.monotone === undefined && !usesSmoothing(p);
  // the kernel reads only its own memory, and scans without lambda_l1 (histogram.wat)
  c.kernel =
    kernel !== undefined && hist.buffer === kernel.scanResult.buffer && p.lambdaL1 === 0 ? kernel : undefined;
  if (c.kernel !== undefined && c.plain) c.kernel.setScanLeaf(c);
}

/** findBestNumerical for feature f of the leaf prepareLeafScan set up. */
export function findBestNumericalInLeaf(
  offset: number,
  mapper: BinMapper,
  feature: number,
  out: SplitCandidate,
): boolean {
  const c = CONTEXT;
  const p = c.p;
  const twoScans = mapper.numBins > 2 && mapper.missingType !== MissingType.None;
  const direction = p.monotone?.[feature] ?? 0;
  c.base = offset * HIST_STRIDE;
  c.skip = twoScans && mapper.missingType === MissingType.Zero ? mapper.zeroBin : -1;
  c.direction = direction;
  c.splittable = false;
  out.gain = Number.NEGATIVE_INFINITY;
  out.feature = feature;
  out.monotone = direction;
  out.catBins = NO_CATEGORIES;
  const nanLast = twoScans && mapper.missingType === MissingType.NaN ? 1 : 0;
  const down = resetBest(DOWN);
  scanDown(c, mapper.numBins - 1 - nanLast, down);
  const missingRight = mapper.missingType === MissingType.NaN && !twoScans;
  // LightGBM keeps the first scan's result as gain − shift and makes the second beat that + shift
  if (c.splittable && down.gain > Number.NEGATIVE_INFINITY) record(c, down, !missingRight, out);
  if (twoScans) {
    const up = resetBest(UP);
    scanUp(c, mapper.numBins - 2, mapper.mostFreqBin === 0, nanLast === 1, up);
    if (c.splittable && up.gain > out.gain + c.minGainShift) record(c, up, false, out);
  }
  return c.splittable;
}

function record(c: ScanContext, chosen: ScanBest, defaultLeft: boolean, out: SplitCandidate): void {
  const { p, leaf, sumGrad, sumHess, count } = c;
  const rg = sumGrad - chosen.lg;
  const rh = sumHess - chosen.lh;
  out.gain = chosen.gain - c.minGainShift;
  out.thresholdBin = chosen.bin;
  out.defaultLeft = defaultLeft;
  // outputs from the sums with kEpsilon, the children's hessians without it, as LightGBM keeps them
  out.leftOutput = boundedOutput(chosen.lg, chosen.lh, chosen.lc, p, leaf);
  out.rightOutput = boundedOutput(rg, rh, count - chosen.lc, p, leaf);
  out.leftGrad = chosen.lg;
  out.leftHess = chosen.lh - K_EPSILON;
  out.leftCount = chosen.lc;
  out.rightGrad = rg;
  out.rightHess = rh - K_EPSILON;
  out.rightCount = count - chosen.lc;
}
