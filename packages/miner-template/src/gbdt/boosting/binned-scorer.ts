/**
 * Adds a freshly grown tree's outputs to the running raw scores of a binned data set, walking the
 * tree in bin space (bin <= threshold bin goes left; the NaN bin follows the default direction).
 * Bin-space and value-space decisions agree because bin upper bounds are the thresholds; a
 * categorical node sends its left bins left and every other bin (bin 0 included) right.
 */
import type { BinnedDataset } from '../dataset/binned-dataset.js';
import { DECISION_DEFAULT_LEFT_MASK } from '../model.js';
import type { TreeBuilder } from '../treelearner/tree-builder.js';

export function addTreeScores(
  tree: TreeBuilder,
  shrinkage: number,
  data: BinnedDataset,
  scores: Float64Array,
): void {
  const n = data.numRows;
  const { bins, mappers } = data;
  if (tree.numLeaves === 1) {
    const v = tree.leafValue[0] * shrinkage;
    for (let r = 0; r < n; r++) scores[r] += v;
    return;
  }
  const nodes = tree.numLeaves - 1;
  const missingBin = new Int32Array(nodes);
  const colStart = new Int32Array(nodes);
  const defaultLeft = new Uint8Array(nodes);
  for (let node = 0; node < nodes; node++) {
    const f = tree.splitFeature[node];
    missingBin[node] = mappers[f].missingBin;
    colStart[node] = f * n;
    defaultLeft[node] = (tree.decisionType[node] & DECISION_DEFAULT_LEFT_MASK) !== 0 ? 1 : 0;
  }
  const leafOut = new Float64Array(tree.numLeaves);
  for (let l = 0; l < tree.numLeaves; l++) leafOut[l] = tree.leafValue[l] * shrinkage;
  const { thresholdBin, leftChild, rightChild, catLeft } = tree;
  for (let r = 0; r < n; r++) {
    let node = 0;
    while (node >= 0) {
      const b = bins[colStart[node] + r];
      const mask = catLeft[node];
      const left =
        mask !== undefined
          ? mask[b] === 1
          : b === missingBin[node]
            ? defaultLeft[node] === 1
            : b <= thresholdBin[node];
      node = left ? leftChild[node] : rightChild[node];
    }
    scores[r] += leafOut[~node];
  }
}

/** Adds tree outputs to the training scores using the learner's leaf partition (no tree walk). */
export function addTreeScoresByPartition(
  tree: TreeBuilder,
  shrinkage: number,
  indices: Int32Array,
  leafBegin: Int32Array,
  leafCount: Int32Array,
  scores: Float64Array,
): void {
  for (let l = 0; l < tree.numLeaves; l++) {
    const v = tree.leafValue[l] * shrinkage;
    const end = leafBegin[l] + leafCount[l];
    for (let k = leafBegin[l]; k < end; k++) scores[indices[k]] += v;
  }
}
