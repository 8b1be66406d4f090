/**
 * Writes a GbdtModel in LightGBM's text model format (v4), byte for byte as LightGBM 4.x's
 * GBDT::SaveModelToString / Tree::ToString would: doubles that matter for prediction with 17
 * significant digits, gains/internal values with six (`%g`), split gains rounded through float32
 * because LightGBM stores them as float, `tree_sizes` as the byte length of each `Tree=` block, and
 * split-count feature importances recomputed from the trees. Pure: returns the text.
 */
import type { GbdtModel, GbdtTree } from '../model.js';
import { formatDouble17, formatG } from './number-format.js';

type NumArray = ArrayLike<number>;

function ints(a: NumArray, n: number): string {
  const parts: string[] = new Array(n);
  for (let i = 0; i < n; i++) parts[i] = String(a[i]);
  return parts.join(' ');
}

function doubles17(a: NumArray, n: number): string {
  const parts: string[] = new Array(n);
  for (let i = 0; i < n; i++) parts[i] = formatDouble17(a[i] as number);
  return parts.join(' ');
}

function shortDoubles(a: NumArray, n: number, asFloat32: boolean): string {
  const parts: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = a[i] as number;
    parts[i] = formatG(asFloat32 ? Math.fround(v) : v, 6);
  }
  return parts.join(' ');
}

/** One tree's `key=value` lines, ending with the blank line Tree::ToString appends. */
export function writeTreeText(tree: GbdtTree): string {
  const n = tree.numLeaves;
  const ni = n - 1;
  const numCat = tree.catBoundaries === undefined ? 0 : tree.catBoundaries.length - 1;
  const cat =
    numCat > 0
      ? `cat_boundaries=${ints(tree.catBoundaries as Int32Array, numCat + 1)}\n` +
        `cat_threshold=${ints(tree.catThreshold as Uint32Array, (tree.catThreshold as Uint32Array).length)}\n`
      : '';
  return (
    `num_leaves=${n}\n` +
    `num_cat=${numCat}\n` +
    `split_feature=${ints(tree.splitFeature, ni)}\n` +
    `split_gain=${shortDoubles(tree.splitGain, ni, true)}\n` +
    `threshold=${doubles17(tree.threshold, ni)}\n` +
    `decision_type=${ints(tree.decisionType, ni)}\n` +
    `left_child=${ints(tree.leftChild, ni)}\n` +
    `right_child=${ints(tree.rightChild, ni)}\n` +
    `leaf_value=${doubles17(tree.leafValue, n)}\n` +
    `leaf_weight=${doubles17(tree.leafWeight, n)}\n` +
    `leaf_count=${ints(tree.leafCount, n)}\n` +
    `internal_value=${shortDoubles(tree.internalValue, ni, false)}\n` +
    `internal_weight=${shortDoubles(tree.internalWeight, ni, false)}\n` +
    `internal_count=${ints(tree.internalCount, ni)}\n` +
    cat +
    'is_linear=0\n' +
    `shrinkage=${formatG(tree.shrinkage, 6)}\n\n`
  );
}

/** LightGBM's default importance (type 0): splits per feature with a positive float32 gain. */
export function splitCountImportance(model: GbdtModel): Float64Array {
  const counts = new Float64Array(model.maxFeatureIdx + 1);
  for (const tree of model.trees) {
    for (let i = 0; i < tree.numLeaves - 1; i++) {
      if (Math.fround(tree.splitGain[i] as number) > 0) counts[tree.splitFeature[i] as number] += 1;
    }
  }
  return counts;
}

function importanceLines(model: GbdtModel): string {
  const counts = splitCountImportance(model);
  const pairs: { count: number; name: string; order: number }[] = [];
  counts.forEach((count, i) => {
    if (count > 0) pairs.push({ count, name: model.featureNames[i] as string, order: i });
  });
  // stable descending sort by count, as std::stable_sort in LightGBM
  pairs.sort((a, b) => b.count - a.count || a.order - b.order);
  return pairs.map((p) => `${p.name}=${p.count}\n`).join('');
}

function parameterBlock(parameters: Record<string, string>): string {
  const keys = Object.keys(parameters);
  if (keys.length === 0) return '';
  const lines = keys.map((k) => `[${k}: ${parameters[k]}]\n`).join('');
  return `\nparameters:\n${lines}\nend of parameters\n`;
}

export function writeModelText(model: GbdtModel): string {
  const treeBlocks = model.trees.map((tree, i) => `Tree=${i}\n${writeTreeText(tree)}\n`);
  const treeSizes = treeBlocks.map((b) => Buffer.byteLength(b, 'utf8'));
  let header =
    'tree\n' +
    `version=${model.version}\n` +
    `num_class=${model.numClass}\n` +
    `num_tree_per_iteration=${model.numTreePerIteration}\n` +
    `label_index=${model.labelIndex}\n` +
    `max_feature_idx=${model.maxFeatureIdx}\n` +
    `objective=${model.objectiveLine}\n`;
  if (model.averageOutput) header += 'average_output\n';
  header += `feature_names=${model.featureNames.join(' ')}\n`;
  if (model.monotoneConstraints !== undefined)
    header += `monotone_constraints=${model.monotoneConstraints}\n`;
  header += `feature_infos=${model.featureInfos.join(' ')}\n`;
  header += `tree_sizes=${treeSizes.join(' ')}\n\n`;
  return (
    header +
    treeBlocks.join('') +
    'end of trees\n' +
    `\nfeature_importances:\n${importanceLines(model)}` +
    parameterBlock(model.parameters) +
    (model.trailer ?? '')
  );
}
