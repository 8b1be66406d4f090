/**
 * Grows a GbdtTree in LightGBM's array layout (src/io/tree.cpp Tree::Split): splitting leaf l adds
 * internal node numLeaves-1; the left child keeps leaf index l, the right child is leaf numLeaves.
 * Values are stored unshrunk while growing; `finish` applies shrinkage to leaf and internal values.
 */
import { DECISION_DEFAULT_LEFT_MASK, type GbdtTree, MISSING_TYPE_SHIFT, type MissingType } from '../model.js';

/** LightGBM's Common::AvoidInf: thresholds are written as ±1e300 instead of infinities. */
function avoidInf(x: number): number {
  if (x >= 1e300) return 1e300;
  if (x <= -1e300) return -1e300;
  return x;
}

export class TreeBuilder {
  numLeaves = 1;
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

  /** Splits `leaf`; returns the new (right) leaf index. */
  split(
    leaf: number,
    feature: number,
    thresholdBin: number,
    thresholdValue: number,
    defaultLeft: boolean,
    missingType: MissingType,
    gain: number,
    left: { value: number; weight: number; count: number },
    right: { value: number; weight: number; count: number },
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
    this.thresholdBin[node] = thresholdBin;
    this.threshold[node] = avoidInf(thresholdValue);
    this.decisionType[node] =
      (defaultLeft ? DECISION_DEFAULT_LEFT_MASK : 0) | (missingType << MISSING_TYPE_SHIFT);
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

  /** Multiplies outputs by the learning rate, then adds `bias` (the init score on the first tree). */
  finish(shrinkage: number, bias: number): GbdtTree {
    const L = this.numLeaves;
    const nodes = L - 1;
    const leafValue = this.leafValue.slice(0, L);
    const internalValue = this.internalValue.slice(0, nodes);
    for (let i = 0; i < L; i++) leafValue[i] = leafValue[i] * shrinkage + bias;
    for (let i = 0; i < nodes; i++) internalValue[i] = internalValue[i] * shrinkage + bias;
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
      shrinkage,
    };
  }
}
