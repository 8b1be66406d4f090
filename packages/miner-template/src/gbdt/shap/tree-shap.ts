/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2): per-feature
 * contributions in raw-score units whose sum plus the expected value is the model's raw score.
 * Covers are LightGBM's data counts (internal_count / leaf_count); the hot branch follows the same
 * decision rule as the predictor. The unique-path stack lives in preallocated typed arrays (one
 * slice per depth), so explaining a row allocates nothing per node. Pure.
 */

import type { GbdtModel } from '../model.js';
import { decide, type FlatForest, flattenModel } from '../predict/flat-forest.js';
import type { FeatureRow } from '../predict/predict.js';

export interface Explanation {
  /** One contribution per feature (length maxFeatureIdx + 1). */
  contributions: Float64Array;
  /** The model's expected raw score under the training distribution (sum of tree means by cover). */
  expectedValue: number;
}

export interface BatchExplanation {
  /** Row-major, numRows × (maxFeatureIdx + 1). */
  contributions: Float64Array;
  expectedValue: number;
}

/** Reusable scratch space for one model: path arrays sized for its deepest tree. */
export class ShapWorkspace {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;

  constructor(maxDepth: number) {
    const len = maxDepth + 2;
    const size = (len * (len + 1)) / 2;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

interface Prepared {
  forest: FlatForest;
  workspace: ShapWorkspace;
  expectedValue: number;
}

const prepared = new WeakMap<GbdtModel, Prepared>();

export function treeExpectation(f: FlatForest, t: number): number {
  const root = f.roots[t] as number;
  if (root < 0) return f.leafValue[~root] as number;
  const total = f.nodeCount[root] as number;
  // leaves of tree t are the contiguous range reachable from its root; walk them
  let sum = 0;
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    for (const c of [f.left[node] as number, f.right[node] as number]) {
      if (c >= 0) stack.push(c);
      else sum += ((f.leafCount[~c] as number) / total) * (f.leafValue[~c] as number);
    }
  }
  return sum;
}

function prepare(model: GbdtModel): Prepared {
  const hit = prepared.get(model);
  if (hit !== undefined) return hit;
  const forest = flattenModel(model);
  let maxDepth = 0;
  let expectedValue = 0;
  for (let t = 0; t < forest.numTrees; t++) {
    maxDepth = Math.max(maxDepth, forest.maxDepth[t] as number);
    expectedValue += treeExpectation(forest, t);
  }
  // like LightGBM's predict_contrib, an averaging model (random forest) is explained unaveraged
  const p: Prepared = { forest, workspace: new ShapWorkspace(maxDepth), expectedValue };
  prepared.set(model, p);
  return p;
}

/** EXTEND: append (feature, zero, one) to the path at [base, base+depth] and update the weights. */
export function extendPath(
  ws: ShapWorkspace,
  base: number,
  depth: number,
  zero: number,
  one: number,
  feature: number,
): void {
  const w = ws.weight;
  ws.feature[base + depth] = feature;
  ws.zero[base + depth] = zero;
  ws.one[base + depth] = one;
  w[base + depth] = depth === 0 ? 1 : 0;
  const inv = 1 / (depth + 1);
  for (let i = depth - 1; i >= 0; i--) {
    const wi = w[base + i] as number;
    w[base + i + 1] = (w[base + i + 1] as number) + one * wi * (i + 1) * inv;
    w[base + i] = zero * wi * (depth - i) * inv;
  }
}

/** UNWIND: remove element `index` from the path of length depth+1, restoring the weights. */
function unwindPath(ws: ShapWorkspace, base: number, depth: number, index: number): void {
  const w = ws.weight;
  const one = ws.one[base + index] as number;
  const zero = ws.zero[base + index] as number;
  let next = w[base + depth] as number;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = w[base + i] as number;
      w[base + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - ((w[base + i] as number) * zero * (depth - i)) / (depth + 1);
    } else {
      w[base + i] = ((w[base + i] as number) * (depth + 1)) / (zero * (depth - i));
    }
  }
  const f = ws.feature;
  const z = ws.zero;
  const o = ws.one;
  for (let i = index; i < depth; i++) {
    f[base + i] = f[base + i + 1] as number;
    z[base + i] = z[base + i + 1] as number;
    o[base + i] = o[base + i + 1] as number;
  }
}

/** 1/k for path positions: keeps divisions out of the unwinding loop's dependency chain. */
const RECIPROCAL = Float64Array.from({ length: 256 }, (_, k) => (k === 0 ? 0 : 1 / k));

/**
 * The total permutation weight the path would have with an element of fractions (one, zero)
 * unwound (no mutation). The hot loop of TreeSHAP: called once per path element per leaf.
 */
export function unwoundSum(w: Float64Array, base: number, depth: number, one: number, zero: number): number {
  let total = 0;
  if (one !== 0) {
    let next = w[base + depth] as number;
    const a = (depth + 1) / one;
    const b = zero / (depth + 1);
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = next * a * (RECIPROCAL[i + 1] as number);
      total += tmp;
      next = (w[base + i] as number) - tmp * b * (depth - i);
    }
  } else {
    const a = (depth + 1) / zero;
    for (let i = depth - 1; i >= 0; i--)
      total += (w[base + i] as number) * a * (RECIPROCAL[depth - i] as number);
  }
  return total;
}

function recurse(
  f: FlatForest,
  ws: ShapWorkspace,
  row: FeatureRow,
  rowOffset: number,
  phi: Float64Array,
  phiOffset: number,
  node: number,
  parentBase: number,
  depth: number,
  zero: number,
  one: number,
  feature: number,
): void {
  // copy the parent's path into this level's slice, then extend it
  const base = parentBase + depth;
  const { feature: pf, zero: pz, one: po, weight: pw } = ws;
  for (let i = 0; i < depth; i++) {
    pf[base + i] = pf[parentBase + i] as number;
    pz[base + i] = pz[parentBase + i] as number;
    po[base + i] = po[parentBase + i] as number;
    pw[base + i] = pw[parentBase + i] as number;
  }
  extendPath(ws, base, depth, zero, one, feature);

  if (node < 0) {
    const value = f.leafValue[~node] as number;
    const { weight, one: ones, zero: zeros } = ws;
    for (let i = 1; i <= depth; i++) {
      const o = ones[base + i] as number;
      const z = zeros[base + i] as number;
      const w = unwoundSum(weight, base, depth, o, z);
      const k = phiOffset + (ws.feature[base + i] as number);
      phi[k] = (phi[k] as number) + w * (o - z) * value;
    }
    return;
  }

  const split = f.feature[node] as number;
  const hot = decide(f, node, row[rowOffset + split] as number);
  const cold = hot === f.left[node] ? (f.right[node] as number) : (f.left[node] as number);
  const cover = f.nodeCount[node] as number;
  const hotZero = (hot >= 0 ? (f.nodeCount[hot] as number) : (f.leafCount[~hot] as number)) / cover;
  const coldZero = (cold >= 0 ? (f.nodeCount[cold] as number) : (f.leafCount[~cold] as number)) / cover;
  let inZero = 1;
  let inOne = 1;
  // a feature already on the path is unwound so this split replaces its earlier one
  let pathIndex = 0;
  for (; pathIndex <= depth; pathIndex++) if (ws.feature[base + pathIndex] === split) break;
  let d = depth;
  if (pathIndex !== depth + 1) {
    inZero = ws.zero[base + pathIndex] as number;
    inOne = ws.one[base + pathIndex] as number;
    unwindPath(ws, base, depth, pathIndex);
    d -= 1;
  }
  recurse(f, ws, row, rowOffset, phi, phiOffset, hot, base, d + 1, hotZero * inZero, inOne, split);
  recurse(f, ws, row, rowOffset, phi, phiOffset, cold, base, d + 1, coldZero * inZero, 0, split);
}

/** Algorithm 2 on tree t alone, accumulating into phi[phiOffset ..] (ws sized for its depth). */
export function explainTreeInto(
  f: FlatForest,
  ws: ShapWorkspace,
  t: number,
  row: FeatureRow,
  rowOffset: number,
  phi: Float64Array,
  phiOffset: number,
): void {
  const root = f.roots[t] as number;
  if (root < 0) return;
  recurse(f, ws, row, rowOffset, phi, phiOffset, root, 0, 0, 1, 1, -1);
}

/** Algorithm 2 over every tree, accumulating into phi[phiOffset ..]. */
function explainRecursiveInto(
  p: Prepared,
  row: FeatureRow,
  rowOffset: number,
  phi: Float64Array,
  phiOffset: number,
): void {
  const { forest: f, workspace: ws } = p;
  for (let t = 0; t < f.numTrees; t++) {
    const root = f.roots[t] as number;
    if (root < 0) continue; // a one-leaf tree contributes only to the expected value
    // the root call extends an empty path with a dummy element (feature -1, fractions 1)
    recurse(f, ws, row, rowOffset, phi, phiOffset, root, 0, 0, 1, 1, -1);
  }
}

function explainInto(
  p: Prepared,
  row: FeatureRow,
  rowOffset: number,
  phi: Float64Array,
  phiOffset: number,
): void {
  explainRecursiveInto(p, row, rowOffset, phi, phiOffset);
}

function checkWidth(model: GbdtModel, length: number, numRows: number): number {
  const width = model.maxFeatureIdx + 1;
  if (length < width * numRows) {
    throw new RangeError(
      `expected at least ${width * numRows} values (${numRows} rows × ${width} features), got ${length}`,
    );
  }
  return width;
}

/** SHAP values of one row; contributions + expectedValue = predictRaw(model, row). */
export function explainRow(model: GbdtModel, row: FeatureRow): Explanation {
  const width = checkWidth(model, row.length, 1);
  const p = prepare(model);
  const contributions = new Float64Array(width);
  explainInto(p, row, 0, contributions, 0);
  return { contributions, expectedValue: p.expectedValue };
}

/** SHAP values of `numRows` row-major rows into one row-major contributions matrix. */
export function explainBatch(
  model: GbdtModel,
  matrix: FeatureRow,
  numRows: number,
  out: Float64Array = new Float64Array(numRows * (model.maxFeatureIdx + 1)),
): BatchExplanation {
  const width = checkWidth(model, matrix.length, numRows);
  const p = prepare(model);
  out.fill(0, 0, numRows * width);
  for (let r = 0; r < numRows; r++) explainInto(p, matrix, r * width, out, r * width);
  return { contributions: out, expectedValue: p.expectedValue };
}

/** The model's expected raw score (SHAP base value). */
export function expectedValue(model: GbdtModel): number {
  return prepare(model).expectedValue;
}
