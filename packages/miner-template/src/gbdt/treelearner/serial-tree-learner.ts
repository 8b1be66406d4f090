/**
 * Grows one tree leaf-wise (best-first), as LightGBM's SerialTreeLearner: repeatedly split the leaf
 * with the largest gain until num_leaves is reached, no leaf has a positive gain, or max_depth
 * blocks every candidate. Histograms are built for the smaller child only; the larger child's is
 * the parent's minus the smaller's, computed in the parent's buffer.
 */
import { binThreshold } from '../dataset/bin-mapper.js';
import type { BinnedDataset } from '../dataset/binned-dataset.js';
import { type CategoricalParams, findBestCategorical } from './categorical-split.js';
import { DataPartition } from './data-partition.js';
import {
  buildHistogram,
  createHistogramScratch,
  fixMostFreqBins,
  HIST_STRIDE,
  type HistogramScratch,
  subtractHistogram,
} from './histogram.js';
import { HistogramKernel } from './histogram-kernel.js';
import { type LeafContext, leafOutput, monotonePenalty, type SplitParams } from './leaf-math.js';
import {
  emptySplit,
  findBestNumericalInLeaf,
  keepBetter,
  prepareLeafScan,
  type SplitCandidate,
} from './split-finder.js';
import { TreeBuilder } from './tree-builder.js';

export interface TreeLearnerParams extends SplitParams, CategoricalParams {
  numLeaves: number;
  /** <= 0 means no limit. */
  maxDepth: number;
}

export class SerialTreeLearner {
  readonly partition: DataPartition;
  /** The bins the learner reads: the dataset's, or the histogram kernel's copy of them. */
  readonly bins: BinnedDataset['bins'];
  /** Buffers for the gradients and hessians to train on (the kernel's own when there is one). */
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  private readonly scratch: HistogramScratch;
  private readonly kernel: HistogramKernel | undefined;
  /** One histogram buffer per leaf index; buffers are swapped, never copied. */
  private readonly hists: Float64Array[];
  private readonly best: SplitCandidate[];
  private readonly leafGrad: Float64Array;
  private readonly leafHess: Float64Array;
  private readonly mostFreqBin: Int32Array;
  /**
   * LightGBM's is_splittable per histogram buffer and feature (swapped with the buffers): a
   * feature no candidate of the parent could use is not looked at in its children.
   */
  private readonly splittable: Uint8Array[];
  /** Per leaf: its output bounds from monotone splits above it ("basic" method). */
  private readonly leafMin: Float64Array;
  private readonly leafMax: Float64Array;
  private readonly candidate = emptySplit();
  private readonly leafContext: LeafContext = { parentOutput: 0, min: 0, max: 0 };

  constructor(
    private readonly data: BinnedDataset,
    private readonly params: TreeLearnerParams,
  ) {
    const L = params.numLeaves;
    const totalBins = data.binOffsets[data.numFeatures];
    const kernel = HistogramKernel.create(data.bins, data.numRows, totalBins, L);
    this.kernel = kernel;
    this.bins = kernel?.bins ?? data.bins;
    this.partition = new DataPartition(data.numRows, L, kernel);
    this.grad = kernel?.grad ?? new Float64Array(data.numRows);
    this.hess = kernel?.hess ?? new Float64Array(data.numRows);
    this.scratch = createHistogramScratch(data.numRows, kernel);
    this.hists = kernel?.hists ?? Array.from({ length: L }, () => new Float64Array(totalBins * HIST_STRIDE));
    this.best = Array.from({ length: L }, emptySplit);
    this.leafGrad = new Float64Array(L);
    this.leafHess = new Float64Array(L);
    this.mostFreqBin = Int32Array.from(data.mappers, (m) => m.mostFreqBin);
    this.splittable = Array.from({ length: L }, () => new Uint8Array(data.numFeatures));
    this.leafMin = new Float64Array(L);
    this.leafMax = new Float64Array(L);
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
    const input = { bins: this.bins, numRows: data.numRows, binOffsets: data.binOffsets, grad, hess };

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
    this.leafMin.fill(-Number.MAX_VALUE);
    this.leafMax.fill(Number.MAX_VALUE);
    tree.setRoot(leafOutput(g, h, params), h, n);
    if (features.length === 0 || !this.canSplit(tree, 0, -1)) return tree;
    buildHistogram(input, features, rows === null ? null : part.indices, 0, n, this.scratch, this.hists[0]);
    fixMostFreqBins(
      data.binOffsets,
      features,
      this.mostFreqBin,
      this.hists[0] as Float64Array,
      g,
      h,
      this.kernel,
    );
    this.findBest(0, features, tree);

    while (tree.numLeaves < params.numLeaves) {
      const leaf = this.bestLeaf(tree.numLeaves);
      if (leaf < 0) break;
      const s = this.best[leaf];
      const mapper = data.mappers[s.feature];
      // the new leaf's index is the tree's leaf count; the partition gives the real row counts,
      // which LightGBM writes instead of the scan's hessian-based estimates
      const newLeaf = tree.numLeaves;
      const leftStats = { value: s.leftOutput, weight: s.leftHess, count: 0 };
      const rightStats = { value: s.rightOutput, weight: s.rightHess, count: 0 };
      if (mapper.categorical === undefined) {
        leftStats.count = part.split(
          leaf,
          newLeaf,
          this.bins,
          s.feature * data.numRows,
          s.thresholdBin,
          mapper.missingBin,
          s.defaultLeft,
        );
        rightStats.count = part.leafCount[newLeaf] as number;
        tree.split(
          leaf,
          s.feature,
          s.thresholdBin,
          binThreshold(mapper, s.thresholdBin),
          s.defaultLeft,
          mapper.missingType,
          s.gain,
          leftStats,
          rightStats,
        );
      } else {
        const mask = new Uint8Array(mapper.numBins);
        for (const b of s.catBins) mask[b] = 1;
        leftStats.count = part.splitByMask(leaf, newLeaf, this.bins, s.feature * data.numRows, mask);
        rightStats.count = part.leafCount[newLeaf] as number;
        const categories = mapper.categorical.categories;
        tree.splitCategorical(
          leaf,
          s.feature,
          s.catBins,
          mapper.numBins,
          s.catBins.map((b) => categories[b] as number),
          mapper.missingType,
          s.gain,
          leftStats,
          rightStats,
        );
      }
      this.updateBounds(leaf, newLeaf, s);
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
        const parentFlags = this.splittable[leaf];
        this.splittable[leaf] = this.splittable[newLeaf];
        this.splittable[newLeaf] = parentFlags;
      }
      const parentFlags = this.splittable[large] as Uint8Array;
      (this.splittable[small] as Uint8Array).set(parentFlags);
      const childFeatures = features.filter((f) => parentFlags[f] === 1);
      buildHistogram(
        input,
        childFeatures,
        part.indices,
        part.leafBegin[small],
        part.leafCount[small],
        this.scratch,
        this.hists[small],
      );
      const smallHist = this.hists[small] as Float64Array;
      const smallGrad = this.leafGrad[small] as number;
      const smallHess = this.leafHess[small] as number;
      fixMostFreqBins(
        data.binOffsets,
        childFeatures,
        this.mostFreqBin,
        smallHist,
        smallGrad,
        smallHess,
        this.kernel,
      );
      const largeHist = this.hists[large] as Float64Array;
      subtractHistogram(data.binOffsets, childFeatures, largeHist, smallHist, largeHist, this.kernel);
      // LightGBM looks at the smaller child first; each keeps its own best
      this.findBest(small, childFeatures, tree);
      this.findBest(large, childFeatures, tree);
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
    // both tests on every call: a right test reached only when the left one fails (a small leaf,
    // first seen many trees in) had no type feedback, and V8 threw away and recompiled `train`
    const leftRoom = counts[left] >= need;
    const rightRoom = right >= 0 && counts[right] >= need;
    return leftRoom || rightRoom;
  }

  /**
   * The leaf's best split over `features` (LightGBM's ComputeBestSplitForFeature per feature):
   * a monotone feature's gain is scaled by the monotone penalty before the comparison, and a
   * later feature must win strictly.
   */
  private findBest(leaf: number, features: Int32Array, tree: TreeBuilder): void {
    const best = this.best[leaf];
    best.gain = Number.NEGATIVE_INFINITY;
    best.feature = -1;
    const hist = this.hists[leaf];
    const flags = this.splittable[leaf] as Uint8Array;
    const { mappers, binOffsets } = this.data;
    const p = this.params;
    const ctx = this.leafContext;
    ctx.parentOutput = tree.leafValue[leaf] as number;
    ctx.min = this.leafMin[leaf] as number;
    ctx.max = this.leafMax[leaf] as number;
    const g = this.leafGrad[leaf] as number;
    const h = this.leafHess[leaf] as number;
    const n = this.partition.leafCount[leaf] as number;
    const c = this.candidate;
    prepareLeafScan(hist as Float64Array, g, h, n, p, ctx, this.kernel);
    for (let fi = 0; fi < features.length; fi++) {
      const f = features[fi] as number;
      const mapper = mappers[f] as (typeof mappers)[number];
      const ok =
        mapper.categorical === undefined
          ? findBestNumericalInLeaf(binOffsets[f] as number, mapper, f, c)
          : findBestCategorical(hist, binOffsets[f] as number, mapper, f, g, h, n, p, p, ctx, c);
      flags[f] = ok ? 1 : 0;
      if (c.monotone !== 0) c.gain *= monotonePenalty(tree.leafDepth[leaf] as number);
      keepBetter(c, best);
    }
  }

  /** The "basic" monotone method: the children of a monotone split are bounded by their mean output. */
  private updateBounds(leaf: number, newLeaf: number, s: SplitCandidate): void {
    this.leafMin[newLeaf] = this.leafMin[leaf] as number;
    this.leafMax[newLeaf] = this.leafMax[leaf] as number;
    if (s.monotone === 0) return;
    const mid = (s.leftOutput + s.rightOutput) / 2;
    if (s.monotone < 0) {
      this.leafMin[leaf] = Math.max(mid, this.leafMin[leaf] as number);
      this.leafMax[newLeaf] = Math.min(mid, this.leafMax[newLeaf] as number);
    } else {
      this.leafMax[leaf] = Math.min(mid, this.leafMax[leaf] as number);
      this.leafMin[newLeaf] = Math.max(mid, this.leafMin[newLeaf] as number);
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
