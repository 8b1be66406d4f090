/**
 * Exports a GbdtModel to ONNX (ai.onnx.ml tree ensembles) so that onnxruntime, fed float32 rows,
 * takes the same branch at every split as LightGBM does for those values:
 *
 * - Thresholds: LightGBM compares the double x <= thr; ONNX compares float32 x with a float32
 *   threshold. For float32 x, x <= thr holds exactly when x <= the largest float32 not above thr,
 *   so every threshold is rounded DOWN to float32 (never to nearest).
 * - Missing values: NaN follows nodes_missing_value_tracks_true. MissingType NaN sends it the
 *   learned default way; MissingType None treats NaN as 0, so it tracks true iff 0 <= thr.
 * - LightGBM's parsers turn |x| <= kZeroThreshold (1e-35f) into 0, and MissingType Zero sends
 *   those (and NaN) the default way. Where that makes the left set two intervals, the split becomes
 *   up to three comparisons with the affected subtrees emitted twice.
 * - Categorical splits (LightGBM's CategoricalDecision: left when trunc(x) is in the node's set;
 *   NaN, negatives and unknown categories right) become a chain of BRANCH_LT nodes over the set's
 *   runs of consecutive categories, each run c..d the interval [c, d+1) ((-1, d+1) when c = 0, as
 *   trunc sends (-1, 0) to 0), so fractional values fall where LightGBM puts them. The chain's
 *   left and right subtrees are emitted once and shared (onnxruntime follows node ids).
 * - binary: TreeEnsembleClassifier, post_transform LOGISTIC, leaf weights scaled by the model's
 *   sigmoid; outputs label and probabilities [1-p, p]. lambdarank/regression: TreeEnsembleRegressor
 *   raw scores (output "variable", [N,1]).
 * Outputs equal predict(): an averaging model (random forest) has its leaf weights divided by the
 * tree count. With precision 'float' leaf weights are float32 and onnxruntime sums in float32;
 * 'double' keeps LightGBM's double arithmetic (float64 input). Pure: model in, bytes out.
 */
import { amlError, ERRORS } from '../../errors.js';
import type { GbdtModel, GbdtTree } from '../model.js';
import { isCategorical, isDefaultLeft, missingTypeOf } from '../model.js';
import { ZERO_THRESHOLD } from '../predict/flat-forest.js';
import {
  AttributeType,
  encodeModel,
  type OnnxAttribute,
  type OnnxNode,
  TensorDataType,
} from './onnx-proto.js';

export interface OnnxExportOptions {
  /** Semantic version recorded in metadata (and, as major·10⁶+minor·10³+patch, in model_version). */
  modelVersion?: string;
  producer?: string;
  /**
   * 'float' (default): float32 thresholds (rounded down) and leaf weights, the portable form.
   * 'double': a float64 input and the opset-3 `*_as_tensor` double attributes, which onnxruntime
   * compares and sums in double exactly as LightGBM does (outputs are still float32 tensors).
   */
  precision?: 'float' | 'double';
}

export const ONNX_INPUT_NAME = 'input';
export const ML_OPSET_VERSION = 3;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The next float32 below a float32 value `f`. */
function nextDown32(f: number): number {
  if (Number.isNaN(f) || f === Number.NEGATIVE_INFINITY) return f;
  if (f === 0) return -(2 ** -149);
  f32[0] = f;
  u32[0] = f > 0 ? (u32[0] as number) - 1 : (u32[0] as number) + 1;
  return f32[0] as number;
}

/** The largest float32 that is <= x: for float32 v, (v <= x) === (v <= floatAtMost(x)). */
export function floatAtMost(x: number): number {
  const f = Math.fround(x);
  return f > x ? nextDown32(f) : f;
}

const TINY = ZERO_THRESHOLD; // a float32 value already
const BELOW_NEG_TINY = nextDown32(-TINY);

/** Ensemble arrays being filled, one entry per ONNX node / leaf weight. */
class EnsembleBuilder {
  readonly treeIds: number[] = [];
  readonly nodeIds: number[] = [];
  readonly featureIds: number[] = [];
  readonly modes: string[] = [];
  readonly values: number[] = [];
  readonly trueIds: number[] = [];
  readonly falseIds: number[] = [];
  readonly tracksTrue: number[] = [];
  readonly weightTreeIds: number[] = [];
  readonly weightNodeIds: number[] = [];
  readonly weights: number[] = [];
  private treeId = 0;
  private nextId = 0;

  startTree(treeId: number): void {
    this.treeId = treeId;
    this.nextId = 0;
  }

  /** Reserves a node slot; fields are filled by setBranch / setLeaf. */
  private reserve(): { id: number; slot: number } {
    const slot = this.nodeIds.length;
    const id = this.nextId++;
    this.treeIds.push(this.treeId);
    this.nodeIds.push(id);
    this.featureIds.push(0);
    this.modes.push('LEAF');
    this.values.push(0);
    this.trueIds.push(0);
    this.falseIds.push(0);
    this.tracksTrue.push(0);
    return { id, slot };
  }

  leaf(weight: number): number {
    const { id } = this.reserve();
    this.weightTreeIds.push(this.treeId);
    this.weightNodeIds.push(id);
    this.weights.push(weight);
    return id;
  }

  /** A BRANCH_LEQ node (or `mode`): x <= threshold goes to `onTrue`. Children are built lazily in order. */
  branch(
    feature: number,
    threshold: number,
    nanTrue: boolean,
    onTrue: () => number,
    onFalse: () => number,
    mode: 'BRANCH_LEQ' | 'BRANCH_LT' = 'BRANCH_LEQ',
  ): number {
    const { id, slot } = this.reserve();
    this.modes[slot] = mode;
    this.featureIds[slot] = feature;
    this.values[slot] = threshold;
    this.tracksTrue[slot] = nanTrue ? 1 : 0;
    this.trueIds[slot] = onTrue();
    this.falseIds[slot] = onFalse();
    return id;
  }
}

interface Emit {
  /** Threshold conversion: floatAtMost for float32 attributes, identity for doubles. */
  cutAt: (thr: number) => number;
  /** Leaf weight conversion: Math.fround for float32 attributes, identity for doubles. */
  weight: (v: number) => number;
  leafScale: number;
  /** Integers the threshold attribute holds exactly (category bounds): 2^24 - 1 for float32. */
  exactIntegersUpTo: number;
}

/** Largest category a float32 threshold holds exactly (and its successor): 2^24 - 1. */
const MAX_FLOAT_CATEGORY = 2 ** 24 - 1;

/** The runs of consecutive categories in the set of categorical split `k`: [first, last] pairs. */
export function categoryRuns(tree: GbdtTree, k: number): [number, number][] {
  const bounds = tree.catBoundaries as Int32Array;
  const words = tree.catThreshold as Uint32Array;
  const runs: [number, number][] = [];
  for (let w = bounds[k] as number; w < (bounds[k + 1] as number); w++) {
    const bits = words[w] as number;
    for (let bit = 0; bit < 32; bit++) {
      if (((bits >>> bit) & 1) === 0) continue;
      const c = ((w - (bounds[k] as number)) << 5) + bit;
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === c - 1) last[1] = c;
      else runs.push([c, c]);
    }
  }
  return runs;
}

/**
 * A categorical split as BRANCH_LT comparisons: x in some run's interval goes left, else right
 * (NaN fails every comparison and tracks false, so it goes right, as in LightGBM).
 */
function emitCategorical(
  b: EnsembleBuilder,
  tree: GbdtTree,
  node: number,
  e: Emit,
  treeIndex: number,
): number {
  const feature = tree.splitFeature[node] as number;
  const runs = categoryRuns(tree, tree.threshold[node] as number);
  if (e.exactIntegersUpTo < Number.POSITIVE_INFINITY && runs.some(([, last]) => last > e.exactIntegersUpTo))
    throw amlError(ERRORS.AML_ERR_GBDT_UNSUPPORTED, [
      `Tree=${treeIndex}: a category above ${e.exactIntegersUpTo} is not exact in a float32 ONNX threshold; export with --precision double`,
    ]);
  let leftId: number | undefined;
  let rightId: number | undefined;
  const left = () => {
    leftId ??= emitNode(b, tree, tree.leftChild[node] as number, e, treeIndex);
    return leftId;
  };
  const right = () => {
    rightId ??= emitNode(b, tree, tree.rightChild[node] as number, e, treeIndex);
    return rightId;
  };
  // runs ascend: below run i's start (and above run i-1's end) is right; below its end is left
  const chain = (i: number): number => {
    const run = runs[i];
    if (run === undefined) return right();
    const [first, last] = run;
    const inRun = () => b.branch(feature, last + 1, false, left, () => chain(i + 1), 'BRANCH_LT');
    // trunc maps (-1, 0) to category 0: x <= -1 is right
    if (first === 0) return b.branch(feature, -1, false, right, inRun);
    return b.branch(feature, first, false, right, inRun, 'BRANCH_LT');
  };
  return chain(0);
}

/** Emits LightGBM node `node` of `tree` (and its subtree) with ONNX comparisons equivalent for float32 x. */
function emitNode(b: EnsembleBuilder, tree: GbdtTree, node: number, e: Emit, treeIndex: number): number {
  if (node < 0) return b.leaf(e.weight((tree.leafValue[~node] as number) * e.leafScale));
  if (isCategorical(tree.decisionType[node] as number)) return emitCategorical(b, tree, node, e, treeIndex);
  const feature = tree.splitFeature[node] as number;
  const thr = tree.threshold[node] as number;
  const dt = tree.decisionType[node] as number;
  const defaultLeft = isDefaultLeft(dt);
  const left = () => emitNode(b, tree, tree.leftChild[node] as number, e, treeIndex);
  const right = () => emitNode(b, tree, tree.rightChild[node] as number, e, treeIndex);
  const missing = missingTypeOf(dt);

  if (missing === 1) {
    // MissingType Zero: NaN and |x| <= TINY go the default way, others compare
    if (defaultLeft) {
      if (thr >= TINY) return b.branch(feature, e.cutAt(thr), true, left, right);
      if (thr >= -TINY) return b.branch(feature, TINY, true, left, right);
      // left = (-inf, thr] ∪ [-TINY, TINY]
      return b.branch(feature, e.cutAt(thr), true, left, () =>
        b.branch(feature, BELOW_NEG_TINY, false, right, () => b.branch(feature, TINY, false, left, right)),
      );
    }
    if (thr < -TINY) return b.branch(feature, e.cutAt(thr), false, left, right);
    if (thr < TINY) return b.branch(feature, BELOW_NEG_TINY, false, left, right);
    // left = (-inf, -TINY) ∪ (TINY, thr]
    return b.branch(
      feature,
      e.cutAt(thr),
      false,
      () => b.branch(feature, BELOW_NEG_TINY, false, left, () => b.branch(feature, TINY, false, right, left)),
      right,
    );
  }

  // None and NaN: tiny values act as 0, so the comparison point moves off the band [-TINY, TINY]
  let cut: number;
  if (thr >= TINY) cut = e.cutAt(thr);
  else if (thr >= 0) cut = TINY;
  else if (thr >= -TINY) cut = BELOW_NEG_TINY;
  else cut = e.cutAt(thr);
  const nanLeft = missing === 2 ? defaultLeft : 0 <= thr;
  return b.branch(feature, cut, nanLeft, left, right);
}

function semverToInt(version: string | undefined): number {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  if (m === null) return 0;
  return Number(m[1]) * 1_000_000 + Number(m[2]) * 1_000 + Number(m[3]);
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const ints = (name: string, v: number[]): OnnxAttribute => ({ name, type: AttributeType.INTS, ints: v });
const floats = (name: string, v: number[]): OnnxAttribute => ({
  name,
  type: AttributeType.FLOATS,
  floats: v,
});
const str = (name: string, v: string): OnnxAttribute => ({ name, type: AttributeType.STRING, s: utf8(v) });
const strs = (name: string, v: string[]): OnnxAttribute => ({
  name,
  type: AttributeType.STRINGS,
  strings: v.map(utf8),
});
const int = (name: string, v: number): OnnxAttribute => ({ name, type: AttributeType.INT, i: v });

const doubles = (name: string, v: number[]): OnnxAttribute => ({
  name,
  type: AttributeType.TENSOR,
  t: { dims: [v.length], dataType: TensorDataType.DOUBLE, doubleData: v },
});

function ensembleNode(model: GbdtModel, precision: 'float' | 'double'): OnnxNode {
  const b = new EnsembleBuilder();
  const binary = model.objective === 'binary';
  const scale =
    (model.averageOutput && model.trees.length > 0 ? 1 / model.trees.length : 1) *
    (binary ? model.sigmoid : 1);
  const asDouble = precision === 'double';
  const emit: Emit = asDouble
    ? { cutAt: (x) => x, weight: (v) => v, leafScale: scale, exactIntegersUpTo: Number.POSITIVE_INFINITY }
    : { cutAt: floatAtMost, weight: Math.fround, leafScale: scale, exactIntegersUpTo: MAX_FLOAT_CATEGORY };
  model.trees.forEach((tree, t) => {
    b.startTree(t);
    emitNode(b, tree, tree.numLeaves > 1 ? 0 : -1, emit, t);
  });
  const realArray = asDouble ? (name: string, v: number[]) => doubles(`${name}_as_tensor`, v) : floats;
  const nodeAttrs = [
    ints('nodes_treeids', b.treeIds),
    ints('nodes_nodeids', b.nodeIds),
    ints('nodes_featureids', b.featureIds),
    strs('nodes_modes', b.modes),
    realArray('nodes_values', b.values),
    ints('nodes_truenodeids', b.trueIds),
    ints('nodes_falsenodeids', b.falseIds),
    ints('nodes_missing_value_tracks_true', b.tracksTrue),
  ];
  const zeros = b.weights.map(() => 0);
  if (binary) {
    return {
      input: [ONNX_INPUT_NAME],
      output: ['label', 'probabilities'],
      name: 'gbdt_binary',
      opType: 'TreeEnsembleClassifier',
      domain: 'ai.onnx.ml',
      attribute: [
        ...nodeAttrs,
        ints('class_treeids', b.weightTreeIds),
        ints('class_nodeids', b.weightNodeIds),
        ints('class_ids', zeros),
        realArray('class_weights', b.weights),
        ints('classlabels_int64s', [0, 1]),
        str('post_transform', 'LOGISTIC'),
      ],
    };
  }
  return {
    input: [ONNX_INPUT_NAME],
    output: ['variable'],
    name: `gbdt_${model.objective}`,
    opType: 'TreeEnsembleRegressor',
    domain: 'ai.onnx.ml',
    attribute: [
      ...nodeAttrs,
      ints('target_treeids', b.weightTreeIds),
      ints('target_nodeids', b.weightNodeIds),
      ints('target_ids', zeros),
      realArray('target_weights', b.weights),
      int('n_targets', 1),
      str('aggregate_function', 'SUM'),
      str('post_transform', 'NONE'),
    ],
  };
}

const tensorInfo = (
  name: string,
  elemType: number,
  dims: ({ dimValue: number } | { dimParam: string })[],
) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims } } },
});

export function exportOnnx(model: GbdtModel, options: OnnxExportOptions = {}): Uint8Array {
  const width = model.maxFeatureIdx + 1;
  const binary = model.objective === 'binary';
  const outputs = binary
    ? [
        tensorInfo('label', TensorDataType.INT64, [{ dimParam: 'N' }]),
        tensorInfo('probabilities', TensorDataType.FLOAT, [{ dimParam: 'N' }, { dimValue: 2 }]),
      ]
    : [tensorInfo('variable', TensorDataType.FLOAT, [{ dimParam: 'N' }, { dimValue: 1 }])];
  const metadata: Record<string, string> = {
    feature_names: JSON.stringify(model.featureNames),
    feature_infos: JSON.stringify(model.featureInfos),
    objective: model.objectiveLine,
    num_trees: String(model.trees.length),
    threshold_rounding:
      options.precision === 'double'
        ? 'double thresholds and weights (*_as_tensor)'
        : 'float32 round-down (largest float32 <= LightGBM double threshold)',
    source_format: `LightGBM text model ${model.version}`,
  };
  if (options.modelVersion !== undefined) metadata.model_version = options.modelVersion;
  return encodeModel({
    irVersion: 8,
    producerName: options.producer ?? 'aml-miner-template',
    producerVersion: '0.1.0',
    domain: 'ai.aml.gbdt',
    modelVersion: semverToInt(options.modelVersion),
    docString: `GBDT ${model.objectiveLine}, ${model.trees.length} trees`,
    graph: {
      node: [ensembleNode(model, options.precision ?? 'float')],
      name: `gbdt_${model.objective}`,
      input: [
        tensorInfo(
          ONNX_INPUT_NAME,
          options.precision === 'double' ? TensorDataType.DOUBLE : TensorDataType.FLOAT,
          [{ dimParam: 'N' }, { dimValue: width }],
        ),
      ],
      output: outputs,
    },
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: ML_OPSET_VERSION },
    ],
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
}
