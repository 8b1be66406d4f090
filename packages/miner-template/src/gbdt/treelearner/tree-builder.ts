/**
 * Grows a GbdtTree in LightGBM's array layout (src/io/tree.cpp Tree::Split): splitting leaf l adds
 * internal node numLeaves-1; the left child keeps leaf index l, the right child is leaf numLeaves.
 * Values are stored unshrunk while growing; `finish` applies shrinkage to leaf and internal values.
 */

import { K_ZERO_THRESHOLD } from '../dataset/bin-mapper.js';
import {
  DECISION_CATEGORICAL_MASK,
  DECISION_DEFAULT_LEFT_MASK,
  type GbdtTree,
  MISSING_TYPE_SHIFT,
  type MissingType,
} from '../model.js';
import { K_EPSILON } from './leaf-math.js';

/** LightGBM's MaybeRoundToZero: |x| <= kZeroThreshold is 0. */
function roundToZero(x: number): number {
  return Math.abs(x) <= K_ZERO_THRESHOLD ? 0 : x;
}

/** LightGBM's Common::AvoidInf: thresholds are written as ±1e300 instead of infinities. */
function avoidInf(x: number): number {
  if (x >= 1e300) return 1e300;
  if (x <= -1e300) return -1e300;
  return x;
}

/** LightGBM's Common::ConstructBitset: bit v of word v/32 set for each value. */
export function constructBitset(values: ArrayLike<number>): number[] {
  const words: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const w = Math.trunc(v / 32);
    while (words.length < w + 1) words.push(0);
    words[w] = ((words[w] as number) | (1 << (v % 32))) >>> 0;
  }
  return words;
}

export interface LeafStats {
  value: number;
  weight: number;
  count: number;
}

export class TreeBuilder {
  numLeaves = 1;
  /** Per categorical node: which bins go left (1), for scoring binned rows; undefined if numerical. */
  readonly catLeft: (Uint8Array | undefined)[] = [];
  /** cat_boundaries / cat_threshold as LightGBM writes them (category-value bitsets). */
  private readonly catBoundaries: number[] = [0];
  private readonly catThreshold: number[] = [];
  readonly splitFeature: Int32Array;
  readonly splitGain: Float64Array;
  readonly threshold: Float64Array;
  /** The bin-space threshold, kept for scoring binned rows without going back to raw values. */
  readonly thresholdBin: Int32Array;
  readonly decisionType: Uint8Array;
  readonly leftChild: Int32Array;
  readonly rightChild: Int32Array;
  readonly internalValue: Float64Array;
  readonly internalWeight: Float64Array;
  readonly internalCount: Int32Array;
  readonly leafValue: Float64Array;
  readonly leafWeight: Float64Array;
  readonly leafCount: Int32Array;
  readonly leafParent: Int32Array;
  readonly leafDepth: Int32Array;

  constructor(maxLeaves: number) {
    const nodes = Math.max(1, maxLeaves - 1);
    this.splitFeature = new Int32Array(nodes);
    this.splitGain = new Float64Array(nodes);
    this.threshold = new Float64Array(nodes);
    this.thresholdBin = new Int32Array(nodes);
    this.decisionType = new Uint8Array(nodes);
    this.leftChild = new Int32Array(nodes);
    this.rightChild = new Int32Array(nodes);
    this.internalValue = new Float64Array(nodes);
    this.internalWeight = new Float64Array(nodes);
    this.internalCount = new Int32Array(nodes);
    this.leafValue = new Float64Array(maxLeaves);
    this.leafWeight = new Float64Array(maxLeaves);
    this.leafCount = new Int32Array(maxLeaves);
    this.leafParent = new Int32Array(maxLeaves).fill(-1);
    this.leafDepth = new Int32Array(maxLeaves);
  }

  /** Sets the root (single leaf) statistics. */
  setRoot(value: number, weight: number, count: number): void {
    this.leafValue[0] = value;
    this.leafWeight[0] = weight;
    this.leafCount[0] = count;
    this.leafDepth[0] = 0;
  }

  /** Splits `leaf` on a numerical threshold; returns the new (right) leaf index. */
  split(
    leaf: number,
    feature: number,
    thresholdBin: number,
    thresholdValue: number,
    defaultLeft: boolean,
    missingType: MissingType,
    gain: number,
    left: LeafStats,
    right: LeafStats,
  ): number {
    const node = this.numLeaves - 1;
    this.thresholdBin[node] = thresholdBin;
    this.threshold[node] = avoidInf(thresholdValue);
    this.decisionType[node] =
      (defaultLeft ? DECISION_DEFAULT_LEFT_MASK : 0) | (missingType << MISSING_TYPE_SHIFT);
    this.catLeft[node] = undefined;
    return this.addChildren(leaf, feature, gain, left, right);
  }

  /**
   * Splits `leaf` sending the bins `leftBins` (categories `leftCategories`) left, as LightGBM's
   * Tree::SplitCategorical: the threshold is the split's index into cat_boundaries.
   */
  splitCategorical(
    leaf: number,
    feature: number,
    leftBins: number[],
    numBins: number,
    leftCategories: number[],
    missingType: MissingType,
    gain: number,
    left: LeafStats,
    right: LeafStats,
  ): number {
    const node = this.numLeaves - 1;
    const catIndex = this.catBoundaries.length - 1;
    this.thresholdBin[node] = catIndex;
    this.threshold[node] = catIndex;
    this.decisionType[node] = DECISION_CATEGORICAL_MASK | (missingType << MISSING_TYPE_SHIFT);
    const mask = new Uint8Array(numBins);
    for (const b of leftBins) mask[b] = 1;
    this.catLeft[node] = mask;
    const bits = constructBitset(leftCategories);
    this.catBoundaries.push((this.catBoundaries[catIndex] as number) + bits.length);
    for (const w of bits) this.catThreshold.push(w);
    return this.addChildren(leaf, feature, gain, left, right);
  }

  private addChildren(
    leaf: number,
    feature: number,
    gain: number,
    left: LeafStats,
    right: LeafStats,
  ): number {
    const node = this.numLeaves - 1;
    const newLeaf = this.numLeaves;
    const parent = this.leafParent[leaf];
    if (parent >= 0) {
      if (this.leftChild[parent] === ~leaf) this.leftChild[parent] = node;
      else this.rightChild[parent] = node;
    }
    this.splitFeature[node] = feature;
    this.splitGain[node] = gain;
    this.leftChild[node] = ~leaf;
    this.rightChild[node] = ~newLeaf;
    this.internalValue[node] = this.leafValue[leaf];
    // as LightGBM's Tree::Split: a node's weight and count are its children's sums
    this.internalWeight[node] = left.weight + right.weight;
    this.internalCount[node] = left.count + right.count;
    const depth = this.leafDepth[leaf] + 1;
    this.leafValue[leaf] = left.value;
    this.leafWeight[leaf] = left.weight;
    this.leafCount[leaf] = left.count;
    this.leafParent[leaf] = node;
    this.leafDepth[leaf] = depth;
    this.leafValue[newLeaf] = right.value;
    this.leafWeight[newLeaf] = right.weight;
    this.leafCount[newLeaf] = right.count;
    this.leafParent[newLeaf] = node;
    this.leafDepth[newLeaf] = depth;
    this.numLeaves++;
    return newLeaf;
  }

  /**
   * Multiplies outputs by the learning rate, then adds `bias` (the init score on the first tree),
   * as LightGBM's Tree::Shrinkage and Tree::AddBias: a bias within kEpsilon of 0 is not added, an
   * added bias sets the written shrinkage to 1, and values within kZeroThreshold become 0.
   */
  finish(shrinkage: number, bias: number): GbdtTree {
    const L = this.numLeaves;
    const nodes = L - 1;
    const leafValue = this.leafValue.slice(0, L);
    const internalValue = this.internalValue.slice(0, nodes);
    const addBias = Math.abs(bias) > K_EPSILON;
    const apply = (v: number) => {
      const shrunk = roundToZero(v * shrinkage);
      return addBias ? roundToZero(shrunk + bias) : shrunk;
    };
    for (let i = 0; i < L; i++) leafValue[i] = apply(leafValue[i] as number);
    for (let i = 0; i < nodes; i++) internalValue[i] = apply(internalValue[i] as number);
    const writtenShrinkage = addBias ? 1 : shrinkage;
    return {
      numLeaves: L,
      splitFeature: this.splitFeature.slice(0, nodes),
      splitGain: this.splitGain.slice(0, nodes),
      threshold: this.threshold.slice(0, nodes),
      decisionType: this.decisionType.slice(0, nodes),
      leftChild: this.leftChild.slice(0, nodes),
      rightChild: this.rightChild.slice(0, nodes),
      internalValue,
      internalWeight: this.internalWeight.slice(0, nodes),
      internalCount: this.internalCount.slice(0, nodes),
      leafValue,
      leafWeight: this.leafWeight.slice(0, L),
      leafCount: this.leafCount.slice(0, L),
      shrinkage: writtenShrinkage,
      ...(this.catBoundaries.length > 1
        ? {
            catBoundaries: Int32Array.from(this.catBoundaries),
            catThreshold: Uint32Array.from(this.catThreshold),
          }
        : {}),
    };
  }
}
