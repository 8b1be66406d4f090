/**
 * Leaf outputs and gains as LightGBM's FeatureHistogram computes them (CalculateSplittedLeafOutput,
 * GetLeafGain, GetLeafGainGivenOutput, GetSplitGains), with path smoothing and the "basic"
 * monotone constraints. The order of every floating-point operation follows LightGBM's, so the
 * gains and leaf values come out bit for bit the same.
 */

export interface SplitParams {
  lambdaL1: number;
  lambdaL2: number;
  minDataInLeaf: number;
  minSumHessianInLeaf: number;
  minGainToSplit: number;
  /** path_smooth; smoothing is on when it exceeds kEpsilon, as in LightGBM. */
  pathSmooth?: number;
  /**
   * Monotone constraint per feature (-1, 0, 1), or undefined when none were given. Given at all
   * (even all zeros), LightGBM clamps every output to the leaf's bounds and computes gains from
   * the clamped outputs, which rounds differently: we follow it.
   */
  monotone?: Int8Array;
}

/** What a split scan needs to know about the leaf besides its histogram. */
export interface LeafContext {
  /** The leaf's own (unshrunk) output: path smoothing pulls the children towards it. */
  parentOutput: number;
  /** The leaf's output bounds from the monotone splits above it. */
  min: number;
  max: number;
}

export const UNCONSTRAINED: LeafContext = {
  parentOutput: 0,
  min: -Number.MAX_VALUE,
  max: Number.MAX_VALUE,
};

/** LightGBM's kEpsilon (1e-15f widened to double), added to hessian sums in the scans. */
export const K_EPSILON = 1.0000000036274937e-15;

/**
 * The least hessian a split side may have. A side taken as the leaf minus the other side can
 * round to exactly 0 when it holds nothing; with min_sum_hessian_in_leaf = 0, LightGBM's check
 * (hessian < min) lets it through and the gain G²/0 is infinite (seen with near-zero gradients).
 * The smallest positive double refuses only that side, so every other split is LightGBM's.
 */
export function minSideHessian(p: SplitParams): number {
  return Math.max(p.minSumHessianInLeaf, Number.MIN_VALUE);
}

export function thresholdL1(g: number, l1: number): number {
  if (l1 <= 0) return g;
  return Math.sign(g) * Math.max(0, Math.abs(g) - l1);
}

export function usesSmoothing(p: SplitParams): boolean {
  return (p.pathSmooth ?? 0) > K_EPSILON;
}

/** The structure score of a leaf without smoothing: ThresholdL1(G)^2 / (H + λ2). */
export function leafGain(g: number, h: number, p: SplitParams, l2: number = p.lambdaL2): number {
  const sg = thresholdL1(g, p.lambdaL1);
  return (sg * sg) / (h + l2);
}

/** The optimal leaf value without smoothing or bounds: −ThresholdL1(G) / (H + λ2). */
export function leafOutput(g: number, h: number, p: SplitParams, l2: number = p.lambdaL2): number {
  return -thresholdL1(g, p.lambdaL1) / (h + l2);
}

/** The leaf value with path smoothing towards the parent's output (count = the leaf's rows). */
export function smoothedOutput(
  g: number,
  h: number,
  count: number,
  p: SplitParams,
  parentOutput: number,
  l2: number = p.lambdaL2,
): number {
  const ret = leafOutput(g, h, p, l2);
  if (!usesSmoothing(p)) return ret;
  const r = count / (p.pathSmooth as number);
  return (ret * r) / (r + 1) + parentOutput / (r + 1);
}

/** smoothedOutput clamped to the leaf's monotone bounds when constraints are in use. */
export function boundedOutput(
  g: number,
  h: number,
  count: number,
  p: SplitParams,
  leaf: LeafContext,
  l2: number = p.lambdaL2,
): number {
  const ret = smoothedOutput(g, h, count, p, leaf.parentOutput, l2);
  if (p.monotone === undefined) return ret;
  if (ret < leaf.min) return leaf.min;
  if (ret > leaf.max) return leaf.max;
  return ret;
}

/** The gain of a leaf holding `output`: −(2·ThresholdL1(G)·w + (H + λ2)·w²). */
export function gainGivenOutput(g: number, h: number, p: SplitParams, output: number, l2: number): number {
  const sg = thresholdL1(g, p.lambdaL1);
  return -(2.0 * sg * output + (h + l2) * output * output);
}

/** One side's gain as GetLeafGain: the closed form without smoothing, else from the output. */
export function sideGain(
  g: number,
  h: number,
  count: number,
  p: SplitParams,
  parentOutput: number,
  l2: number = p.lambdaL2,
): number {
  if (!usesSmoothing(p)) return leafGain(g, h, p, l2);
  return gainGivenOutput(g, h, p, smoothedOutput(g, h, count, p, parentOutput, l2), l2);
}

/**
 * GetSplitGains: the two sides' gains. Under monotone constraints the outputs are clamped to the
 * leaf's bounds and a split whose outputs go against the feature's direction scores 0.
 */
export function splitGain(
  lg: number,
  lh: number,
  lc: number,
  rg: number,
  rh: number,
  rc: number,
  p: SplitParams,
  leaf: LeafContext,
  direction: number,
  l2: number = p.lambdaL2,
): number {
  if (p.monotone === undefined) {
    return sideGain(lg, lh, lc, p, leaf.parentOutput, l2) + sideGain(rg, rh, rc, p, leaf.parentOutput, l2);
  }
  const lo = boundedOutput(lg, lh, lc, p, leaf, l2);
  const ro = boundedOutput(rg, rh, rc, p, leaf, l2);
  if ((direction > 0 && lo > ro) || (direction < 0 && lo < ro)) return 0;
  return gainGivenOutput(lg, lh, p, lo, l2) + gainGivenOutput(rg, rh, p, ro, l2);
}

/**
 * ComputeMonotoneSplitGainPenalty with monotone_penalty = 0: a monotone feature's gain is
 * multiplied by 1 + kEpsilon (the only value we accept), which can reorder near-ties.
 */
export function monotonePenalty(depth: number): number {
  return 1 - 0 / 2 ** depth + K_EPSILON;
}
