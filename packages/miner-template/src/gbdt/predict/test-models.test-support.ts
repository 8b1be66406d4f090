/**
 * Hand-built GbdtModels for tests and benchmarks: a one-split stump with a chosen decision_type,
 * and random valid tree ensembles of a given size (seeded, so reproducible).
 */
import type { GbdtModel, GbdtTree, ObjectiveName } from '../model.js';

export function modelOf(
  trees: GbdtTree[],
  numFeatures: number,
  objective: ObjectiveName = 'regression',
): GbdtModel {
  return {
    version: 'v4',
    numClass: 1,
    numTreePerIteration: 1,
    labelIndex: 0,
    maxFeatureIdx: numFeatures - 1,
    objective,
    objectiveLine: objective === 'binary' ? 'binary sigmoid:1' : objective,
    sigmoid: 1,
    featureNames: Array.from({ length: numFeatures }, (_, i) => `f${i}`),
    featureInfos: Array.from({ length: numFeatures }, () => '[-1:1]'),
    averageOutput: false,
    trees,
    parameters: {},
  };
}

/** One split on `feature` at `threshold`: left leaf -1, right leaf +1. */
export function stump(feature: number, threshold: number, decisionType: number): GbdtTree {
  return {
    numLeaves: 2,
    splitFeature: Int32Array.of(feature),
    splitGain: Float64Array.of(1),
    threshold: Float64Array.of(threshold),
    decisionType: Uint8Array.of(decisionType),
    leftChild: Int32Array.of(-1),
    rightChild: Int32Array.of(-2),
    internalValue: Float64Array.of(0),
    internalWeight: Float64Array.of(2),
    internalCount: Int32Array.of(2),
    leafValue: Float64Array.of(-1, 1),
    leafWeight: Float64Array.of(1, 1),
    leafCount: Int32Array.of(1, 1),
    shrinkage: 1,
  };
}

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random valid tree with `numLeaves` leaves: leaves are split at random until the count is
 * reached; counts are consistent (a node's count is the sum of its children's, every leaf >= 1).
 */
export function randomTree(random: () => number, numLeaves: number, numFeatures: number): GbdtTree {
  const ni = numLeaves - 1;
  const leftChild = new Int32Array(ni);
  const rightChild = new Int32Array(ni);
  const splitFeature = new Int32Array(ni);
  const threshold = new Float64Array(ni);
  const decisionType = new Uint8Array(ni);
  // grow: leaves referenced by (parent node, side); leaf 0 starts as the root
  const parentOf: { node: number; left: boolean }[] = [{ node: -1, left: true }];
  for (let n = 0; n < ni; n++) {
    const leaf = Math.floor(random() * parentOf.length);
    const { node: parent, left } = parentOf[leaf] as { node: number; left: boolean };
    if (parent >= 0) {
      if (left) leftChild[parent] = n;
      else rightChild[parent] = n;
    }
    leftChild[n] = ~leaf;
    rightChild[n] = ~(n + 1);
    parentOf[leaf] = { node: n, left: true };
    parentOf.push({ node: n, left: false });
    splitFeature[n] = Math.floor(random() * numFeatures);
    threshold[n] = Math.round((random() * 2 - 1) * 100) / 100;
    const missing = Math.floor(random() * 3);
    decisionType[n] = (missing << 2) | (random() < 0.5 ? 2 : 0);
  }
  const leafCount = new Int32Array(numLeaves);
  const leafValue = new Float64Array(numLeaves);
  for (let l = 0; l < numLeaves; l++) {
    leafCount[l] = 1 + Math.floor(random() * 50);
    leafValue[l] = random() * 2 - 1;
  }
  const internalCount = new Int32Array(ni);
  const count = (c: number): number => {
    if (c < 0) return leafCount[~c] as number;
    internalCount[c] = count(leftChild[c] as number) + count(rightChild[c] as number);
    return internalCount[c] as number;
  };
  if (ni > 0) count(0);
  return {
    numLeaves,
    splitFeature,
    splitGain: new Float64Array(ni).fill(1),
    threshold,
    decisionType,
    leftChild,
    rightChild,
    internalValue: new Float64Array(ni),
    internalWeight: Float64Array.from(internalCount),
    internalCount,
    leafValue,
    leafWeight: Float64Array.from(leafCount),
    leafCount,
    shrinkage: 1,
  };
}

export function randomModel(
  seed: number,
  numTrees: number,
  numLeaves: number,
  numFeatures: number,
  objective: ObjectiveName = 'binary',
): GbdtModel {
  const random = rng(seed);
  const trees = Array.from({ length: numTrees }, () => randomTree(random, numLeaves, numFeatures));
  return modelOf(trees, numFeatures, objective);
}
