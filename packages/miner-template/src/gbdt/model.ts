/**
 * The in-memory GBDT model: the same arrays LightGBM keeps per tree (src/io/tree.cpp), so the text
 * format maps onto it one to one. The trainer produces it; the model-text reader/writer, the
 * predictor, TreeSHAP and the ONNX exporter consume it. Nothing here does I/O.
 *
 * Node indexing follows LightGBM: internal nodes 0..numLeaves-2; a child value c >= 0 is an internal
 * node, c < 0 is leaf ~c.
 */

/** decision_type bits, as in LightGBM's tree.h. */
export const DECISION_CATEGORICAL_MASK = 1;
export const DECISION_DEFAULT_LEFT_MASK = 2;
/** Missing-type occupies bits 2..3: 0 none, 1 zero, 2 NaN. */
export const MISSING_TYPE_SHIFT = 2;
export const MissingType = { None: 0, Zero: 1, NaN: 2 } as const;
export type MissingType = (typeof MissingType)[keyof typeof MissingType];

export interface GbdtTree {
  numLeaves: number;
  /** Per internal node (length numLeaves - 1). */
  splitFeature: Int32Array;
  splitGain: Float64Array;
  threshold: Float64Array;
  decisionType: Uint8Array;
  leftChild: Int32Array;
  rightChild: Int32Array;
  internalValue: Float64Array;
  internalWeight: Float64Array;
  internalCount: Int32Array;
  /** Per leaf (length numLeaves). leafValue already includes shrinkage, as in LightGBM. */
  leafValue: Float64Array;
  leafWeight: Float64Array;
  leafCount: Int32Array;
  shrinkage: number;
  /**
   * Categorical splits (LightGBM's cat_boundaries / cat_threshold): a categorical node's threshold
   * is its index k, and the categories going left are the set bits of the uint32 words
   * catThreshold[catBoundaries[k] .. catBoundaries[k+1]). Absent when the tree has none (num_cat=0).
   */
  catBoundaries?: Int32Array;
  catThreshold?: Uint32Array;
}

/** Objectives we train and serve. `objectiveLine` keeps LightGBM's exact header text. */
export type ObjectiveName = 'binary' | 'lambdarank' | 'regression';

export interface GbdtModel {
  /** Model-format version, "v4" for LightGBM 4.x. */
  version: string;
  numClass: 1;
  numTreePerIteration: 1;
  labelIndex: number;
  maxFeatureIdx: number;
  objective: ObjectiveName;
  /** The header's objective line as LightGBM writes it, e.g. "binary sigmoid:1". */
  objectiveLine: string;
  /** Sigmoid scale for binary (LightGBM's `sigmoid:` parameter); 1 by default. */
  sigmoid: number;
  featureNames: string[];
  /** LightGBM's feature_infos: "[min:max]" per feature, or "none" for an unused one. */
  featureInfos: string[];
  averageOutput: boolean;
  trees: GbdtTree[];
  /** The [parameters] block as key -> value text, kept for round trips and metadata. */
  parameters: Record<string, string>;
  /** Optional header line `monotone_constraints=` as LightGBM wrote it (kept for round trips). */
  monotoneConstraints?: string;
  /**
   * Optional raw text after `end of parameters\n` (the Python package's `pandas_categorical:` line, a
   * `parser:` block), kept verbatim so a loaded file is written back byte for byte.
   */
  trailer?: string;
}

export function missingTypeOf(decisionType: number): MissingType {
  return ((decisionType >> MISSING_TYPE_SHIFT) & 3) as MissingType;
}

export function isDefaultLeft(decisionType: number): boolean {
  return (decisionType & DECISION_DEFAULT_LEFT_MASK) !== 0;
}

export function isCategorical(decisionType: number): boolean {
  return (decisionType & DECISION_CATEGORICAL_MASK) !== 0;
}

/**
 * LightGBM's CategoricalDecision: true (left) when x's category is in categorical split k's set;
 * NaN, negative values and categories outside the bitset go right. x is truncated to int.
 */
export function categoryGoesLeft(
  tree: Pick<GbdtTree, 'catBoundaries' | 'catThreshold'>,
  k: number,
  x: number,
): boolean {
  if (Number.isNaN(x)) return false;
  const t = Math.trunc(x);
  if (t < 0 || t >= 2147483648) return false;
  const bounds = tree.catBoundaries as Int32Array;
  const start = bounds[k] as number;
  const word = Math.trunc(t / 32);
  if (word >= (bounds[k + 1] as number) - start) return false;
  return (((tree.catThreshold as Uint32Array)[start + word] as number) >>> (t % 32)) % 2 === 1;
}
