/**
 * Builds a ShapPlan: the per-leaf tables of exact path-dependent TreeSHAP (Fast TreeSHAP v2, Yang
 * 2021) for a GbdtModel. Along a leaf's root path each distinct feature has a fixed "zero"
 * fraction (product of its cover ratios) and a row-dependent "one" fraction that is 1 when the row
 * satisfies every split on that feature along the path and 0 otherwise. A leaf with D distinct
 * path features therefore has only 2^D possible rows; the table stores, for each of them, the D
 * contributions Algorithm 2 would add, computed once with the same EXTEND / unwound-sum arithmetic
 * as tree-shap.ts. Trees whose tables would be too large keep the recursive algorithm. Pure; the
 * plan is plain typed arrays so it can be cloned to worker threads unchanged.
 */
import type { GbdtModel } from '../model.js';
import { type FlatForest, flattenModel } from '../predict/flat-forest.js';
import { extendPath, ShapWorkspace, treeExpectation, unwoundSum } from './tree-shap.js';

export const TREE_MODE_EMPTY = 0;
export const TREE_MODE_TABLE = 1;
export const TREE_MODE_RECURSIVE = 2;

export interface ShapPlanOptions {
  /** A tree keeps the recursive algorithm when its tables exceed this many doubles. */
  maxTreeTableEntries?: number;
  /** Tables stop being built (remaining trees recurse) once the model's total exceeds this. */
  maxTotalTableEntries?: number;
}

/**
 * Budgets in doubles (512 KiB per tree, 32 MiB per model). Measured on 100 random 31-leaf trees
 * up to 12 deep (CPU time vs tree-shap.ts): 1.4× with a 128 KiB per-tree cap, 1.8× with 512 KiB
 * (14.5 MB in all), 2.0× with every tree tabled (23 MB): bigger tables keep paying, so the
 * per-tree cap is generous and the model cap bounds memory. Tables live in a SharedArrayBuffer,
 * so pool workers share them instead of holding copies.
 */
export const DEFAULT_MAX_TREE_TABLE_ENTRIES = 1 << 16;
export const DEFAULT_MAX_TOTAL_TABLE_ENTRIES = 1 << 22;

export const NODE_INFO_WIDTH = 6;

export interface ShapPlan {
  numFeatures: number;
  expectedValue: number;
  forest: FlatForest;
  /** Deepest tree (sizes the recursive fallback's workspace). */
  maxDepth: number;
  /** TREE_MODE_* per tree. */
  treeMode: Uint8Array;
  /** First global node / leaf index of each tree. */
  nodeBase: Int32Array;
  leafBase: Int32Array;
  /** Table trees' internal nodes in parent-before-child order, global indices; a CSR per tree. */
  orderStart: Int32Array;
  order: Int32Array;
  /**
   * NODE_INFO_WIDTH Int32s per node, side by side for the hot loop: split feature, left, right,
   * 1 << (position of the feature among the path's distinct features), and that bit again if
   * this is the feature's first split on the path (else 0); for a node whose children are both
   * leaves, the offset of its pair table (else -1): the two leaves' table rows already summed,
   * indexed by (mask at the node × 2 + 0 if the left child is hot, 1 if the right), so the pair
   * costs one pass of D additions instead of two.
   */
  nodeInfo: Int32Array;
  /** 3 Int32s per leaf: distinct path features D, their offset in leafFeatures, table offset (-1 in a pair). */
  leafInfo: Int32Array;
  leafFeatures: Int32Array;
  /** Row-major per leaf: 2^D masks × D contributions (feature order of leafFeatures); shared memory. */
  tables: Float64Array;
  /** Largest node count of a table tree (sizes the per-row mask scratch). */
  maxTreeNodes: number;
}

const cover = (f: FlatForest, c: number): number =>
  c >= 0 ? (f.nodeCount[c] as number) : (f.leafCount[~c] as number);

interface LeafPath {
  leaf: number;
  features: number[];
  zeros: number[];
}

/** Walks tree t once: node bit positions, leaves' distinct features and zero fractions, preorder. */
function describeTree(
  f: FlatForest,
  root: number,
  nodeInfo: Int32Array,
): { order: number[]; leaves: LeafPath[] } {
  const order: number[] = [];
  const leaves: LeafPath[] = [];
  const visit = (node: number, features: number[], zeros: number[]): void => {
    if (node < 0) {
      leaves.push({ leaf: ~node, features, zeros });
      return;
    }
    order.push(node);
    const split = f.feature[node] as number;
    let pos = features.indexOf(split);
    const isNew = pos < 0;
    if (isNew) pos = features.length;
    const p = NODE_INFO_WIDTH * node;
    nodeInfo[p] = split;
    nodeInfo[p + 1] = f.left[node] as number;
    nodeInfo[p + 2] = f.right[node] as number;
    nodeInfo[p + 3] = 1 << pos;
    nodeInfo[p + 4] = isNew ? 1 << pos : 0;
    nodeInfo[p + 5] = -1;
    const total = f.nodeCount[node] as number;
    for (const child of [f.left[node] as number, f.right[node] as number]) {
      const ratio = cover(f, child) / total;
      const fs = features.slice();
      const zs = zeros.slice();
      if (isNew) {
        fs.push(split);
        zs.push(ratio);
      } else {
        // the same product order as tree-shap.ts (new ratio times the earlier fraction)
        zs[pos] = ratio * (zs[pos] as number);
      }
      visit(child, fs, zs);
    }
  };
  visit(root, [], []);
  return { order, leaves };
}

/** One leaf's table: for every satisfied-mask, Algorithm 2's term for each path feature. */
function fillLeafTable(
  value: number,
  zeros: readonly number[],
  ws: ShapWorkspace,
  out: Float64Array,
  offset: number,
): void {
  const depth = zeros.length;
  for (let mask = 0; mask < 1 << depth; mask++) {
    extendPath(ws, 0, 0, 1, 1, -1);
    for (let i = 0; i < depth; i++) extendPath(ws, 0, i + 1, zeros[i] as number, (mask >> i) & 1, i);
    for (let i = 0; i < depth; i++) {
      const o = (mask >> i) & 1;
      const z = zeros[i] as number;
      const w = unwoundSum(ws.weight, 0, depth, o, z);
      out[offset + mask * depth + i] = w * (o - z) * value;
    }
  }
}

/** A pair node's table from its two leaves' tables (same feature list, D entries per row). */
function fillPairTable(pair: PendingPair, ws: ShapWorkspace, out: Float64Array, offset: number): void {
  const d = pair.left.zeros.length;
  const size = d * (1 << d);
  const left = new Float64Array(size);
  const right = new Float64Array(size);
  fillLeafTable(pair.leftValue, pair.left.zeros, ws, left, 0);
  fillLeafTable(pair.rightValue, pair.right.zeros, ws, right, 0);
  for (let m = 0; m < 1 << pair.parentDepth; m++) {
    const sat = m | pair.newBit;
    const unsat = m & ~pair.bit;
    for (let side = 0; side < 2; side++) {
      const ml = side === 0 ? sat : unsat;
      const mr = side === 0 ? unsat : sat;
      const row = offset + (2 * m + side) * d;
      for (let i = 0; i < d; i++) out[row + i] = (left[ml * d + i] as number) + (right[mr * d + i] as number);
    }
  }
}

interface PendingLeaf {
  value: number;
  zeros: number[];
  offset: number;
}

interface PendingPair {
  left: LeafPath;
  right: LeafPath;
  leftValue: number;
  rightValue: number;
  /** Distinct features on the path down to (not including) the pair node's own new feature. */
  parentDepth: number;
  bit: number;
  newBit: number;
  offset: number;
}

export function buildShapPlan(model: GbdtModel, options: ShapPlanOptions = {}): ShapPlan {
  const maxTree = options.maxTreeTableEntries ?? DEFAULT_MAX_TREE_TABLE_ENTRIES;
  const maxTotal = options.maxTotalTableEntries ?? DEFAULT_MAX_TOTAL_TABLE_ENTRIES;
  const f = flattenModel(model);
  const numNodes = f.feature.length;
  const numLeaves = f.leafValue.length;
  const plan: ShapPlan = {
    numFeatures: model.maxFeatureIdx + 1,
    expectedValue: 0,
    forest: f,
    maxDepth: 0,
    treeMode: new Uint8Array(f.numTrees),
    nodeBase: new Int32Array(f.numTrees),
    leafBase: new Int32Array(f.numTrees),
    orderStart: new Int32Array(f.numTrees + 1),
    order: new Int32Array(numNodes),
    nodeInfo: new Int32Array(NODE_INFO_WIDTH * numNodes),
    leafInfo: new Int32Array(3 * numLeaves),
    leafFeatures: new Int32Array(0),
    tables: new Float64Array(0),
    maxTreeNodes: 0,
  };
  const leafFeatures: number[] = [];
  const pending: PendingLeaf[] = [];
  const pendingPairs: PendingPair[] = [];
  let tableSize = 0;
  let orderLen = 0;
  let nodeBase = 0;
  let leafBase = 0;
  let maxLeafDepth = 0;
  for (let t = 0; t < f.numTrees; t++) {
    const root = f.roots[t] as number;
    const depth = f.maxDepth[t] as number;
    plan.maxDepth = Math.max(plan.maxDepth, depth);
    plan.expectedValue += treeExpectation(f, t);
    plan.nodeBase[t] = nodeBase;
    plan.leafBase[t] = leafBase;
    plan.orderStart[t] = orderLen;
    const treeLeaves = root < 0 ? 1 : depthLeaves(f, root);
    const treeNodes = treeLeaves - 1;
    if (root < 0) {
      plan.treeMode[t] = TREE_MODE_EMPTY;
    } else {
      const { order, leaves } = describeTree(f, root, plan.nodeInfo);
      let entries = 0;
      for (const l of leaves) entries += l.features.length * (1 << l.features.length);
      if (entries > maxTree || tableSize + entries > maxTotal || depth > 30) {
        plan.treeMode[t] = TREE_MODE_RECURSIVE;
      } else {
        plan.treeMode[t] = TREE_MODE_TABLE;
        plan.maxTreeNodes = Math.max(plan.maxTreeNodes, treeNodes);
        for (const n of order) plan.order[orderLen++] = n;
        const byLeaf = new Map(leaves.map((l) => [l.leaf, l]));
        for (const l of leaves) {
          const d = l.features.length;
          maxLeafDepth = Math.max(maxLeafDepth, d);
          plan.leafInfo[3 * l.leaf] = d;
          plan.leafInfo[3 * l.leaf + 1] = leafFeatures.length;
          leafFeatures.push(...l.features);
          plan.leafInfo[3 * l.leaf + 2] = -1;
        }
        for (const n of order) {
          const p = NODE_INFO_WIDTH * n;
          const l = plan.nodeInfo[p + 1] as number;
          const r = plan.nodeInfo[p + 2] as number;
          if (l >= 0 || r >= 0) continue;
          const left = byLeaf.get(~l) as LeafPath;
          const newBit = plan.nodeInfo[p + 4] as number;
          const parentDepth = left.features.length - (newBit !== 0 ? 1 : 0);
          plan.nodeInfo[p + 5] = tableSize;
          pendingPairs.push({
            left,
            right: byLeaf.get(~r) as LeafPath,
            leftValue: f.leafValue[~l] as number,
            rightValue: f.leafValue[~r] as number,
            parentDepth,
            bit: plan.nodeInfo[p + 3] as number,
            newBit,
            offset: tableSize,
          });
          tableSize += 2 * (1 << parentDepth) * left.features.length;
          byLeaf.delete(~l);
          byLeaf.delete(~r);
        }
        for (const l of byLeaf.values()) {
          const d = l.features.length;
          plan.leafInfo[3 * l.leaf + 2] = tableSize;
          pending.push({ value: f.leafValue[l.leaf] as number, zeros: l.zeros, offset: tableSize });
          tableSize += d * (1 << d);
        }
      }
    }
    nodeBase += treeNodes;
    leafBase += treeLeaves;
  }
  plan.orderStart[f.numTrees] = orderLen;
  plan.leafFeatures = Int32Array.from(leafFeatures);
  plan.tables = new Float64Array(new SharedArrayBuffer(tableSize * 8));
  const ws = new ShapWorkspace(maxLeafDepth);
  for (const p of pending) fillLeafTable(p.value, p.zeros, ws, plan.tables, p.offset);
  for (const p of pendingPairs) fillPairTable(p, ws, plan.tables, p.offset);
  return plan;
}

/** Leaf count of the subtree at `node` (trees are stored without their own leaf count). */
function depthLeaves(f: FlatForest, node: number): number {
  if (node < 0) return 1;
  return depthLeaves(f, f.left[node] as number) + depthLeaves(f, f.right[node] as number);
}
