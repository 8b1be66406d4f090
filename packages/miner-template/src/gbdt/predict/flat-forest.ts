/**
 * A GbdtModel flattened into a handful of typed arrays (all trees' nodes back to back), the form
 * the predictor and TreeSHAP walk. LightGBM's numerical decision rule (tree.h NumericalDecision,
 * after its parsers turn |x| <= kZeroThreshold into 0) is resolved here once per node into
 * nanChild / zeroChild, so every consumer branches identically. Pure; built once per model and
 * cached.
 */
import type { GbdtModel } from '../model.js';
import { isCategorical, isDefaultLeft, missingTypeOf } from '../model.js';

/** LightGBM's kZeroThreshold is the float literal 1e-35f, widened to double. */
export const ZERO_THRESHOLD = Math.fround(1e-35);

export interface FlatForest {
  numTrees: number;
  numFeatures: number;
  /** Root of each tree: a global node index, or ~leaf (global leaf index) for a one-leaf tree. */
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  /** Children: >= 0 a global node index, < 0 ~global leaf index. */
  left: Int32Array;
  right: Int32Array;
  /** The child LightGBM takes for NaN, and for |x| <= kZeroThreshold, precomputed per node. */
  nanChild: Int32Array;
  zeroChild: Int32Array;
  /** Hot-loop layout: [feature, left, right] per node, three Int32s side by side. */
  packed: Int32Array;
  /** Cover (LightGBM's data count) per node and per leaf, for TreeSHAP. */
  nodeCount: Float64Array;
  leafValue: Float64Array;
  leafCount: Float64Array;
  /** Depth of the deepest leaf per tree (0 for a one-leaf tree). */
  maxDepth: Int32Array;
  /** Per node: -1 for a numerical split, else the start of its category bitset in catWords. */
  catStart: Int32Array;
  /** Per node: the bitset's length in 32-bit words (0 for numerical splits). */
  catLen: Int32Array;
  catWords: Uint32Array;
  /** True when some node is categorical (the hot loops then check catStart). */
  hasCategorical: boolean;
}

const cache = new WeakMap<GbdtModel, FlatForest>();

function treeDepth(left: Int32Array, right: Int32Array, node: number): number {
  if (node < 0) return 0;
  return (
    1 + Math.max(treeDepth(left, right, left[node] as number), treeDepth(left, right, right[node] as number))
  );
}

export function flattenModel(model: GbdtModel): FlatForest {
  const hit = cache.get(model);
  if (hit !== undefined) return hit;
  let totalNodes = 0;
  let totalLeaves = 0;
  let totalWords = 0;
  for (const t of model.trees) {
    totalNodes += t.numLeaves - 1;
    totalLeaves += t.numLeaves;
    totalWords += t.catThreshold?.length ?? 0;
  }
  const numTrees = model.trees.length;
  const f: FlatForest = {
    numTrees,
    numFeatures: model.maxFeatureIdx + 1,
    roots: new Int32Array(numTrees),
    feature: new Int32Array(totalNodes),
    threshold: new Float64Array(totalNodes),
    left: new Int32Array(totalNodes),
    right: new Int32Array(totalNodes),
    nanChild: new Int32Array(totalNodes),
    zeroChild: new Int32Array(totalNodes),
    packed: new Int32Array(totalNodes * 3),
    nodeCount: new Float64Array(totalNodes),
    leafValue: new Float64Array(totalLeaves),
    leafCount: new Float64Array(totalLeaves),
    maxDepth: new Int32Array(numTrees),
    catStart: new Int32Array(totalNodes).fill(-1),
    catLen: new Int32Array(totalNodes),
    catWords: new Uint32Array(totalWords),
    hasCategorical: totalWords > 0,
  };
  let nodeBase = 0;
  let leafBase = 0;
  let wordBase = 0;
  model.trees.forEach((t, ti) => {
    const ni = t.numLeaves - 1;
    const remap = (c: number): number => (c >= 0 ? nodeBase + c : ~(leafBase + ~c));
    for (let i = 0; i < ni; i++) {
      const g = nodeBase + i;
      const dt = t.decisionType[i] as number;
      const mt = missingTypeOf(dt);
      f.feature[g] = t.splitFeature[i] as number;
      f.threshold[g] = t.threshold[i] as number;
      f.left[g] = remap(t.leftChild[i] as number);
      f.right[g] = remap(t.rightChild[i] as number);
      f.nodeCount[g] = t.internalCount[i] as number;
      const defaultChild = isDefaultLeft(dt) ? f.left[g] : f.right[g];
      const zeroCompare = 0 <= (f.threshold[g] as number) ? f.left[g] : f.right[g];
      f.nanChild[g] = (mt === 0 ? zeroCompare : defaultChild) as number;
      f.zeroChild[g] = (mt === 1 ? defaultChild : zeroCompare) as number;
      f.packed[3 * g] = f.feature[g] as number;
      f.packed[3 * g + 1] = f.left[g] as number;
      f.packed[3 * g + 2] = f.right[g] as number;
      if (isCategorical(dt)) {
        const k = t.threshold[i] as number;
        const bounds = t.catBoundaries as Int32Array;
        f.catStart[g] = wordBase + (bounds[k] as number);
        f.catLen[g] = (bounds[k + 1] as number) - (bounds[k] as number);
      }
    }
    if (t.catThreshold !== undefined) {
      f.catWords.set(t.catThreshold, wordBase);
      wordBase += t.catThreshold.length;
    }
    for (let l = 0; l < t.numLeaves; l++) {
      f.leafValue[leafBase + l] = t.leafValue[l] as number;
      f.leafCount[leafBase + l] = t.leafCount[l] as number;
    }
    f.roots[ti] = ni > 0 ? nodeBase : ~leafBase;
    f.maxDepth[ti] = ni > 0 ? treeDepth(t.leftChild, t.rightChild, 0) : 0;
    nodeBase += ni;
    leafBase += t.numLeaves;
  });
  cache.set(model, f);
  return f;
}

/**
 * LightGBM's CategoricalDecision at a categorical node: left when x (truncated to int) is in the
 * node's category set; NaN, negative values and categories outside the bitset go right.
 */
export function decideCategorical(f: FlatForest, node: number, x: number): number {
  const right = f.right[node] as number;
  if (Number.isNaN(x)) return right;
  const t = Math.trunc(x);
  if (t < 0 || t >= 2147483648) return right;
  const word = Math.trunc(t / 32);
  if (word >= (f.catLen[node] as number)) return right;
  const bits = f.catWords[(f.catStart[node] as number) + word] as number;
  return (bits >>> (t % 32)) % 2 === 1 ? (f.left[node] as number) : right;
}

/** The child LightGBM's prediction takes at global node `node` for feature value `x`. */
export function decide(f: FlatForest, node: number, x: number): number {
  if ((f.catStart[node] as number) >= 0) return decideCategorical(f, node, x);
  if (x > ZERO_THRESHOLD || x < -ZERO_THRESHOLD) {
    return x <= (f.threshold[node] as number) ? (f.left[node] as number) : (f.right[node] as number);
  }
  // NaN fails both tests above; values in the band are stored as 0 by LightGBM's row parsers
  return Number.isNaN(x) ? (f.nanChild[node] as number) : (f.zeroChild[node] as number);
}
