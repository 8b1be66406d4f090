/**
 * The hot loop of fast exact TreeSHAP over a ShapPlan: per table tree, one pass over its nodes in
 * parent-before-child order carries each path's "satisfied" bitmask down (one prediction-style
 * decision per node), and each leaf adds its precomputed table row. Recursive trees use
 * tree-shap.ts unchanged. Each row is computed alone, in a fixed order, by whichever thread runs
 * it, so results are bit-identical in-process and across workers. No allocation per row.
 */
import type { GbdtModel } from '../model.js';
import { decideCategorical, ZERO_THRESHOLD } from '../predict/flat-forest.js';
import type { FeatureRow } from '../predict/predict.js';
import {
  buildShapPlan,
  NODE_INFO_WIDTH,
  type ShapPlan,
  TREE_MODE_RECURSIVE,
  TREE_MODE_TABLE,
} from './shap-plan.js';
import { type BatchExplanation, explainTreeInto, ShapWorkspace } from './tree-shap.js';

/** Per-thread scratch: the node masks of one tree and the recursive fallback's path arrays. */
export interface ShapScratch {
  mask: Int32Array;
  workspace: ShapWorkspace;
}

export function createScratch(plan: ShapPlan): ShapScratch {
  return {
    mask: new Int32Array(Math.max(1, plan.maxTreeNodes)),
    workspace: new ShapWorkspace(plan.maxDepth),
  };
}

/** Adds leaf `leaf`'s table row for satisfied-mask `mask` into the row's contributions at `off`. */
function addLeaf(plan: ShapPlan, leaf: number, mask: number, out: Float64Array, off: number): void {
  const info = plan.leafInfo;
  const d = info[3 * leaf] as number;
  const fs = info[3 * leaf + 1] as number;
  const row = (info[3 * leaf + 2] as number) + mask * d;
  const features = plan.leafFeatures;
  const tables = plan.tables;
  for (let i = 0; i < d; i++) {
    const j = off + (features[fs + i] as number);
    out[j] = (out[j] as number) + (tables[row + i] as number);
  }
}

/** Rows explained together tree by tree, so a tree's tables stay in cache across the rows. */
const ROW_BLOCK = 32;

/** Table tree t's contributions for one row (the row's values start at `off`). */
function addTableTree(
  plan: ShapPlan,
  masks: Int32Array,
  t: number,
  matrix: FeatureRow,
  off: number,
  out: Float64Array,
): void {
  const { order, nodeInfo } = plan;
  const { threshold, nanChild, zeroChild, catStart } = plan.forest;
  const base = plan.nodeBase[t] as number;
  masks[0] = 0;
  const stop = plan.orderStart[t + 1] as number;
  for (let k = plan.orderStart[t] as number; k < stop; k++) {
    const node = order[k] as number;
    const p = NODE_INFO_WIDTH * node;
    const x = matrix[off + (nodeInfo[p] as number)] as number;
    const l = nodeInfo[p + 1] as number;
    const rc = nodeInfo[p + 2] as number;
    // flat-forest.ts decide(), inlined: LightGBM's numerical rule with NaN / zero children
    let hot: number;
    if ((catStart[node] as number) >= 0) hot = decideCategorical(plan.forest, node, x);
    else if (x > ZERO_THRESHOLD || x < -ZERO_THRESHOLD) hot = x <= (threshold[node] as number) ? l : rc;
    else hot = Number.isNaN(x) ? (nanChild[node] as number) : (zeroChild[node] as number);
    const m = masks[node - base] as number;
    const pair = nodeInfo[p + 5] as number;
    if (pair >= 0) {
      // both children are leaves: one pass over their summed rows
      const info = plan.leafInfo;
      const d = info[3 * ~l] as number;
      const fs = info[3 * ~l + 1] as number;
      const row = pair + (2 * m + (hot === l ? 0 : 1)) * d;
      const { leafFeatures, tables } = plan;
      for (let i = 0; i < d; i++) {
        const j = off + (leafFeatures[fs + i] as number);
        out[j] = (out[j] as number) + (tables[row + i] as number);
      }
      continue;
    }
    const sat = m | (nodeInfo[p + 4] as number);
    const unsat = m & ~(nodeInfo[p + 3] as number);
    const ml = hot === l ? sat : unsat;
    const mr = hot === l ? unsat : sat;
    if (l >= 0) masks[l - base] = ml;
    else addLeaf(plan, ~l, ml, out, off);
    if (rc >= 0) masks[rc - base] = mr;
    else addLeaf(plan, ~rc, mr, out, off);
  }
}

/**
 * Adds rows [start, end) of a row-major matrix (width = plan.numFeatures) into `out` (pre-zeroed).
 * Every row sees the trees in model order whatever the blocking, so its sums are always the same.
 */
export function explainRowsInto(
  plan: ShapPlan,
  scratch: ShapScratch,
  matrix: FeatureRow,
  start: number,
  end: number,
  out: Float64Array,
): void {
  const f = plan.forest;
  const width = plan.numFeatures;
  const treeMode = plan.treeMode;
  for (let b = start; b < end; b += ROW_BLOCK) {
    const blockEnd = Math.min(end, b + ROW_BLOCK);
    for (let t = 0; t < f.numTrees; t++) {
      const mode = treeMode[t] as number;
      if (mode === TREE_MODE_TABLE) {
        for (let r = b; r < blockEnd; r++) addTableTree(plan, scratch.mask, t, matrix, r * width, out);
      } else if (mode === TREE_MODE_RECURSIVE) {
        for (let r = b; r < blockEnd; r++) {
          explainTreeInto(f, scratch.workspace, t, matrix, r * width, out, r * width);
        }
      }
    }
  }
}

const plans = new WeakMap<GbdtModel, { plan: ShapPlan; scratch: ShapScratch }>();

/** The model's plan and a scratch for the calling thread, built once per model. */
export function planFor(model: GbdtModel): { plan: ShapPlan; scratch: ShapScratch } {
  let hit = plans.get(model);
  if (hit === undefined) {
    const plan = buildShapPlan(model);
    hit = { plan, scratch: createScratch(plan) };
    plans.set(model, hit);
  }
  return hit;
}

/** Same contract as tree-shap.ts explainBatch, via the per-leaf tables (equal within ~1e-15). */
export function explainBatchFast(
  model: GbdtModel,
  matrix: FeatureRow,
  numRows: number,
  out: Float64Array = new Float64Array(numRows * (model.maxFeatureIdx + 1)),
): BatchExplanation {
  const width = model.maxFeatureIdx + 1;
  if (matrix.length < width * numRows) {
    throw new RangeError(
      `expected at least ${width * numRows} values (${numRows} rows × ${width} features), got ${matrix.length}`,
    );
  }
  const { plan, scratch } = planFor(model);
  out.fill(0, 0, numRows * width);
  explainRowsInto(plan, scratch, matrix, 0, numRows, out);
  return { contributions: out, expectedValue: plan.expectedValue };
}
