/**
 * A leaf's split candidate: what the split finders (numerical and categorical) fill in for one
 * feature and the learner keeps per leaf.
 */

/** A leaf's best split; gain is -Infinity when the leaf cannot split. */
export interface SplitCandidate {
  gain: number;
  feature: number;
  thresholdBin: number;
  defaultLeft: boolean;
  /** Categorical splits: the bins that go left (empty for numerical splits). */
  catBins: number[];
  /** The feature's monotone direction for a numerical split (0 otherwise). */
  monotone: number;
  leftOutput: number;
  rightOutput: number;
  leftGrad: number;
  leftHess: number;
  leftCount: number;
  rightGrad: number;
  rightHess: number;
  rightCount: number;
}

/** Shared empty list for numerical splits (never mutated). */
export const NO_CATEGORIES: number[] = [];

export function emptySplit(): SplitCandidate {
  return {
    gain: Number.NEGATIVE_INFINITY,
    feature: -1,
    thresholdBin: 0,
    defaultLeft: true,
    catBins: NO_CATEGORIES,
    monotone: 0,
    leftOutput: 0,
    rightOutput: 0,
    leftGrad: 0,
    leftHess: 0,
    leftCount: 0,
    rightGrad: 0,
    rightHess: 0,
    rightCount: 0,
  };
}

/**
 * Copies a candidate into `best` when it wins (strictly larger gain; ties keep the earlier feature).
 * Field by field: Object.assign reads each double as a fresh heap object.
 */
export function keepBetter(candidate: SplitCandidate, best: SplitCandidate): void {
  if (!(candidate.gain > best.gain)) return;
  best.gain = candidate.gain;
  best.feature = candidate.feature;
  best.thresholdBin = candidate.thresholdBin;
  best.defaultLeft = candidate.defaultLeft;
  best.catBins = candidate.catBins;
  best.monotone = candidate.monotone;
  best.leftOutput = candidate.leftOutput;
  best.rightOutput = candidate.rightOutput;
  best.leftGrad = candidate.leftGrad;
  best.leftHess = candidate.leftHess;
  best.leftCount = candidate.leftCount;
  best.rightGrad = candidate.rightGrad;
  best.rightHess = candidate.rightHess;
  best.rightCount = candidate.rightCount;
}
