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
  fixMostFreqBins,
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
  private readonly mostFreqBin: Int32Array;

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
    this.mostFreqBin = Int32Array.from(data.mappers, (m) => m.mostFreqBin);
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
    if (features.length === 0 || !this.canSplit(tree, 0, -1)) return tree;
    buildHistogram(input, features, rows === null ? null : part.indices, 0, n, this.scratch, this.hists[0]);
    fixMostFreqBins(data.binOffsets, features, this.mostFreqBin, this.hists[0], g, h, n);
    this.findBest(0, features);

    while (tree.numLeaves < params.numLeaves) {
      const leaf = this.bestLeaf(tree.numLeaves);
      if (leaf < 0) break;
      const s = this.best[leaf];
      const mapper = data.mappers[s.feature];
      // the new leaf's index is the tree's leaf count; the partition gives the real row counts,
      // which LightGBM writes instead of the scan's hessian-based estimates
      const newLeaf = tree.numLeaves;
      const leftRows = part.split(
        leaf,
        newLeaf,
        data.bins,
        s.feature * data.numRows,
        s.thresholdBin,
        mapper.missingBin,
        s.defaultLeft,
      );
      tree.split(
        leaf,
        s.feature,
        s.thresholdBin,
        binThreshold(mapper, s.thresholdBin),
        s.defaultLeft,
        mapper.missingType,
        s.gain,
        { value: s.leftOutput, weight: s.leftHess, count: leftRows },
        { value: s.rightOutput, weight: s.rightHess, count: part.leafCount[newLeaf] as number },
      );
      this.leafGrad[leaf] = s.leftGrad;
      this.leafHess[leaf] = s.leftHess;
      this.leafGrad[newLeaf] = s.rightGrad;
      this.leafHess[newLeaf] = s.rightHess;
      this.best[leaf].gain = Number.NEGATIVE_INFINITY;
      this.best[newLeaf].gain = Number.NEGATIVE_INFINITY;
      if (tree.numLeaves >= params.numLeaves) break;

      if (!this.canSplit(tree, leaf, newLeaf)) continue;
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
      const smallHist = this.hists[small] as Float64Array;
      fixMostFreqBins(
        data.binOffsets,
        features,
        this.mostFreqBin,
        smallHist,
        this.leafGrad[small] as number,
        this.leafHess[small] as number,
        part.leafCount[small] as number,
      );
      subtractHistogram(data.binOffsets, features, this.hists[large], smallHist, this.hists[large]);
      this.findBest(leaf, features);
      this.findBest(newLeaf, features);
    }
    return tree;
  }

  /**
   * LightGBM's pre-check for the two children of a split (or the root, right = -1): the depth
   * limit, and room for two min_data_in_leaf children in at least one of them (real row counts).
   * A child that passes here can still find no split: the scans enforce the minimums per side.
   */
  private canSplit(tree: TreeBuilder, left: number, right: number): boolean {
    const p = this.params;
    if (p.maxDepth > 0 && tree.leafDepth[left] >= p.maxDepth) return false;
    const counts = this.partition.leafCount;
    const need = Math.max(2 * p.minDataInLeaf, 2);
    return counts[left] >= need || (right >= 0 && counts[right] >= need);
  }

  private findBest(leaf: number, features: Int32Array): void {
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
        this.partition.leafCount[leaf],
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
