/**
 * Grows one tree leaf-wise (best-first), as LightGBM's SerialTreeLearner: repeatedly split the leaf
 * with the largest gain until num_leaves is reached, no leaf has a positive gain, or max_depth
 * blocks every candidate. Histograms are built for the smaller child only; the larger child's is
 * the parent's minus the smaller's, computed in the parent's buffer.
 */
import { binThreshold } from '../dataset/bin-mapper.js';
import type { BinnedDataset } from '../dataset/binned-dataset.js';
import { DataPartition } from './data-partition.js';
import {
  buildHistogram,
  createHistogramScratch,
  type HistogramScratch,
  subtractHistogram,
} from './histogram.js';
import {
  emptySplit,
  findBestThreshold,
  leafOutput,
  type SplitCandidate,
  type SplitParams,
} from './split-finder.js';
import { TreeBuilder } from './tree-builder.js';

export interface TreeLearnerParams extends SplitParams {
  numLeaves: number;
  /** <= 0 means no limit. */
  maxDepth: number;
}

export class SerialTreeLearner {
  readonly partition: DataPartition;
  private readonly scratch: HistogramScratch;
  /** One histogram buffer per leaf index; buffers are swapped, never copied. */
  private readonly hists: Float64Array[];
  private readonly best: SplitCandidate[];
  private readonly leafGrad: Float64Array;
  private readonly leafHess: Float64Array;

  constructor(
    private readonly data: BinnedDataset,
    private readonly params: TreeLearnerParams,
  ) {
    const L = params.numLeaves;
    const totalBins = data.binOffsets[data.numFeatures];
    this.partition = new DataPartition(data.numRows, L);
    this.scratch = createHistogramScratch(data.numRows);
    this.hists = Array.from({ length: L }, () => new Float64Array(totalBins * 3));
    this.best = Array.from({ length: L }, emptySplit);
    this.leafGrad = new Float64Array(L);
    this.leafHess = new Float64Array(L);
  }

  /**
   * Grows a tree on `rows` (the bag; null = all rows) using only `features`. Leaf values are raw
   * (unshrunk); the partition afterwards tells which rows ended in which leaf.
   */
  train(grad: Float64Array, hess: Float64Array, rows: Int32Array | null, features: Int32Array): TreeBuilder {
    const { data, params } = this;
    const tree = new TreeBuilder(params.numLeaves);
    const part = this.partition;
    part.reset(rows, data.numRows);
    const input = { bins: data.bins, numRows: data.numRows, binOffsets: data.binOffsets, grad, hess };

    let g = 0;
    let h = 0;
    const n = part.leafCount[0];
    if (rows === null) {
      for (let i = 0; i < n; i++) {
        g += grad[i];
        h += hess[i];
      }
    } else {
      for (let k = 0; k < n; k++) {
        g += grad[rows[k]];
        h += hess[rows[k]];
      }
    }
    this.leafGrad[0] = g;
    this.leafHess[0] = h;
    tree.setRoot(leafOutput(g, h, params), h, n);
    if (features.length === 0 || !this.canSplit(tree, 0)) return tree;
    buildHistogram(input, features, rows === null ? null : part.indices, 0, n, this.scratch, this.hists[0]);
    this.findBest(0, features, tree);

    while (tree.numLeaves < params.numLeaves) {
      const leaf = this.bestLeaf(tree.numLeaves);
      if (leaf < 0) break;
      const s = this.best[leaf];
      const mapper = data.mappers[s.feature];
      const newLeaf = tree.split(
        leaf,
        s.feature,
        s.thresholdBin,
        binThreshold(mapper, s.thresholdBin),
        s.defaultLeft,
        mapper.missingType,
        s.gain,
        { value: leafOutput(s.leftGrad, s.leftHess, params), weight: s.leftHess, count: s.leftCount },
        { value: leafOutput(s.rightGrad, s.rightHess, params), weight: s.rightHess, count: s.rightCount },
      );
      part.split(
        leaf,
        newLeaf,
        data.bins,
        s.feature * data.numRows,
        s.thresholdBin,
        mapper.nanBin,
        s.defaultLeft,
      );
      this.leafGrad[leaf] = s.leftGrad;
      this.leafHess[leaf] = s.leftHess;
      this.leafGrad[newLeaf] = s.rightGrad;
      this.leafHess[newLeaf] = s.rightHess;
      this.best[leaf].gain = Number.NEGATIVE_INFINITY;
      this.best[newLeaf].gain = Number.NEGATIVE_INFINITY;
      if (tree.numLeaves >= params.numLeaves) break;

      const leftOk = this.canSplit(tree, leaf);
      const rightOk = this.canSplit(tree, newLeaf);
      if (!leftOk && !rightOk) continue;
      // The parent's histogram lives in hists[leaf]. Build the smaller child, derive the larger.
      const leftSmaller = part.leafCount[leaf] < part.leafCount[newLeaf];
      const small = leftSmaller ? leaf : newLeaf;
      const large = leftSmaller ? newLeaf : leaf;
      if (leftSmaller) {
        const parentHist = this.hists[leaf];
        this.hists[leaf] = this.hists[newLeaf];
        this.hists[newLeaf] = parentHist;
      }
      buildHistogram(
        input,
        features,
        part.indices,
        part.leafBegin[small],
        part.leafCount[small],
        this.scratch,
        this.hists[small],
      );
      subtractHistogram(data.binOffsets, features, this.hists[large], this.hists[small], this.hists[large]);
      if (leftOk) this.findBest(leaf, features, tree);
      if (rightOk) this.findBest(newLeaf, features, tree);
    }
    return tree;
  }

  /** LightGBM's pre-checks: depth limit and room for two children of min size. */
  private canSplit(tree: TreeBuilder, leaf: number): boolean {
    const p = this.params;
    if (p.maxDepth > 0 && tree.leafDepth[leaf] >= p.maxDepth) return false;
    if (tree.leafCount[leaf] < 2 * p.minDataInLeaf || tree.leafCount[leaf] < 2) return false;
    return this.leafHess[leaf] >= 2 * p.minSumHessianInLeaf;
  }

  private findBest(leaf: number, features: Int32Array, tree: TreeBuilder): void {
    const best = this.best[leaf];
    best.gain = Number.NEGATIVE_INFINITY;
    best.feature = -1;
    const hist = this.hists[leaf];
    const { mappers, binOffsets } = this.data;
    for (let fi = 0; fi < features.length; fi++) {
      const f = features[fi];
      findBestThreshold(
        hist,
        binOffsets[f],
        mappers[f],
        f,
        this.leafGrad[leaf],
        this.leafHess[leaf],
        tree.leafCount[leaf],
        this.params,
        best,
      );
    }
  }

  /** The leaf with the largest positive gain (lowest index on ties), or -1. */
  private bestLeaf(numLeaves: number): number {
    let leaf = -1;
    let gain = 0;
    for (let l = 0; l < numLeaves; l++) {
      const g = this.best[l].gain;
      if (g > gain) {
        gain = g;
        leaf = l;
      }
    }
    return leaf;
  }
}
