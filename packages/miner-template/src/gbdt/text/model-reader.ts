/**
 * Reads LightGBM's text model format (v4) into a GbdtModel. Checks the version and the required
 * keys, and refuses what the engine cannot serve (multiclass, linear trees, unknown objectives) with named errors. Everything after `end of parameters` is kept verbatim so
 * the writer reproduces the file. Pure: text in, model out.
 */
import { amlError, ERRORS } from '../../errors.js';
import type { GbdtModel, GbdtTree, ObjectiveName } from '../model.js';
import { isCategorical } from '../model.js';

const SUPPORTED_VERSIONS = new Set(['v4']);
const TREE_KEYS = [
  'num_leaves',
  'num_cat',
  'split_feature',
  'split_gain',
  'threshold',
  'decision_type',
  'left_child',
  'right_child',
  'leaf_value',
  'leaf_weight',
  'leaf_count',
  'internal_value',
  'internal_weight',
  'internal_count',
  'is_linear',
  'shrinkage',
] as const;

function formatError(message: string): Error {
  return amlError(ERRORS.AML_ERR_GBDT_MODEL_FORMAT, [message]);
}

function parseNumber(token: string, where: string): number {
  switch (token) {
    case 'inf':
    case '+inf':
      return Number.POSITIVE_INFINITY;
    case '-inf':
      return Number.NEGATIVE_INFINITY;
    case 'nan':
    case '-nan':
      return Number.NaN;
  }
  const v = Number(token);
  if (token === '' || Number.isNaN(v)) throw formatError(`${where}: expected a number, got "${token}"`);
  return v;
}

function parseInteger(token: string, where: string): number {
  if (!/^[+-]?\d+$/.test(token)) throw formatError(`${where}: expected an integer, got "${token}"`);
  return Number(token);
}

function splitValues(text: string, expected: number, where: string): string[] {
  const parts = text === '' ? [] : text.split(' ');
  if (parts.length !== expected) {
    throw formatError(`${where}: expected ${expected} values, got ${parts.length}`);
  }
  return parts;
}

function readTree(index: number, kv: Map<string, string>, maxFeatureIdx: number): GbdtTree {
  const at = `Tree=${index}`;
  for (const key of TREE_KEYS) {
    if (!kv.has(key)) throw formatError(`${at}: missing key ${key}`);
  }
  const get = (key: string): string => kv.get(key) as string;
  const numLeaves = parseInteger(get('num_leaves'), `${at} num_leaves`);
  if (numLeaves < 1) throw formatError(`${at}: num_leaves must be >= 1, got ${numLeaves}`);
  const numCat = parseInteger(get('num_cat'), `${at} num_cat`);
  if (numCat < 0) throw formatError(`${at}: num_cat must be >= 0, got ${numCat}`);
  if (get('is_linear') !== '0') {
    throw amlError(ERRORS.AML_ERR_GBDT_UNSUPPORTED, [`${at}: linear trees (is_linear=${get('is_linear')})`]);
  }
  const ni = numLeaves - 1;
  const ints = <T extends Int32Array | Uint8Array>(key: string, n: number, make: (n: number) => T): T => {
    const out = make(n);
    splitValues(get(key), n, `${at} ${key}`).forEach((t, i) => {
      out[i] = parseInteger(t, `${at} ${key}`);
    });
    return out;
  };
  const doubles = (key: string, n: number): Float64Array => {
    const out = new Float64Array(n);
    splitValues(get(key), n, `${at} ${key}`).forEach((t, i) => {
      out[i] = parseNumber(t, `${at} ${key}`);
    });
    return out;
  };
  const decisionType = ints('decision_type', ni, (n) => new Uint8Array(n));
  const tree: GbdtTree = {
    numLeaves,
    splitFeature: ints('split_feature', ni, (n) => new Int32Array(n)),
    splitGain: doubles('split_gain', ni),
    threshold: doubles('threshold', ni),
    decisionType,
    leftChild: ints('left_child', ni, (n) => new Int32Array(n)),
    rightChild: ints('right_child', ni, (n) => new Int32Array(n)),
    internalValue: doubles('internal_value', ni),
    internalWeight: doubles('internal_weight', ni),
    internalCount: ints('internal_count', ni, (n) => new Int32Array(n)),
    leafValue: doubles('leaf_value', numLeaves),
    leafWeight: doubles('leaf_weight', numLeaves),
    leafCount: ints('leaf_count', numLeaves, (n) => new Int32Array(n)),
    shrinkage: parseNumber(get('shrinkage'), `${at} shrinkage`),
  };
  if (numCat > 0) readCategorical(tree, numCat, (key) => kv.get(key), at);
  for (let i = 0; i < ni; i++) {
    const k = tree.threshold[i] as number;
    if (isCategorical(decisionType[i] as number) && !(Number.isInteger(k) && k >= 0 && k < numCat)) {
      throw formatError(`${at}: categorical node ${i} has threshold ${k}, expected 0..${numCat - 1}`);
    }
  }
  checkStructure(tree, at, maxFeatureIdx);
  return tree;
}

/** cat_boundaries (num_cat + 1 increasing offsets from 0) and the cat_threshold words they index. */
function readCategorical(
  tree: GbdtTree,
  numCat: number,
  get: (key: string) => string | undefined,
  at: string,
): void {
  const boundsText = get('cat_boundaries');
  const wordsText = get('cat_threshold');
  if (boundsText === undefined || wordsText === undefined) {
    throw formatError(`${at}: num_cat=${numCat} needs cat_boundaries and cat_threshold`);
  }
  const bounds = Int32Array.from(splitValues(boundsText, numCat + 1, `${at} cat_boundaries`), (t) =>
    parseInteger(t, `${at} cat_boundaries`),
  );
  for (let k = 0; k < numCat; k++) {
    if (bounds[0] !== 0 || (bounds[k + 1] as number) < (bounds[k] as number)) {
      throw formatError(`${at}: cat_boundaries must start at 0 and not decrease`);
    }
  }
  const words = wordsText === '' ? [] : wordsText.split(' ');
  if (words.length !== bounds[numCat]) {
    throw formatError(
      `${at}: cat_threshold has ${words.length} words, cat_boundaries ends at ${bounds[numCat]}`,
    );
  }
  tree.catBoundaries = bounds;
  tree.catThreshold = Uint32Array.from(words, (t) => {
    const v = parseInteger(t, `${at} cat_threshold`);
    if (v < 0 || v > 0xffffffff) throw formatError(`${at}: cat_threshold word ${t} out of range`);
    return v;
  });
}

/** Every node reached exactly once from the root, children in range: a malformed tree never loops. */
function checkStructure(tree: GbdtTree, at: string, maxFeatureIdx: number): void {
  const ni = tree.numLeaves - 1;
  if (ni === 0) return;
  const seenNode = new Uint8Array(ni);
  const seenLeaf = new Uint8Array(tree.numLeaves);
  const stack = [0];
  seenNode[0] = 1;
  while (stack.length > 0) {
    const node = stack.pop() as number;
    const f = tree.splitFeature[node] as number;
    if (f < 0 || f > maxFeatureIdx)
      throw formatError(`${at}: split_feature ${f} out of range at node ${node}`);
    for (const child of [tree.leftChild[node] as number, tree.rightChild[node] as number]) {
      if (child >= 0) {
        if (child >= ni || seenNode[child]) throw formatError(`${at}: bad child ${child} at node ${node}`);
        seenNode[child] = 1;
        stack.push(child);
      } else {
        const leaf = ~child;
        if (leaf >= tree.numLeaves || seenLeaf[leaf])
          throw formatError(`${at}: bad leaf ${leaf} at node ${node}`);
        seenLeaf[leaf] = 1;
      }
    }
  }
  if (seenNode.includes(0) || seenLeaf.includes(0)) throw formatError(`${at}: unreachable nodes`);
}

function parseObjective(line: string): { objective: ObjectiveName; sigmoid: number } {
  const tokens = line.split(' ');
  const name = tokens[0];
  if (name === 'binary') {
    let sigmoid = 1;
    for (const t of tokens.slice(1)) {
      if (t.startsWith('sigmoid:')) sigmoid = parseNumber(t.slice('sigmoid:'.length), 'objective sigmoid');
    }
    return { objective: 'binary', sigmoid };
  }
  if (name === 'lambdarank' && tokens.length === 1) return { objective: 'lambdarank', sigmoid: 1 };
  if (name === 'regression' && tokens.length === 1) return { objective: 'regression', sigmoid: 1 };
  throw amlError(ERRORS.AML_ERR_GBDT_UNSUPPORTED, [`objective "${line}"`]);
}

export function readModelText(text: string): GbdtModel {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  let pos = 0;
  if (lines[0] !== 'tree')
    throw formatError(`expected first line "tree", got "${(lines[0] ?? '').slice(0, 40)}"`);
  pos = 1;
  const header = new Map<string, string>();
  while (pos < lines.length && !(lines[pos] as string).startsWith('Tree=') && lines[pos] !== 'end of trees') {
    const line = lines[pos++] as string;
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) header.set(line, '');
    else header.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const need = (key: string): string => {
    const v = header.get(key);
    if (v === undefined) throw formatError(`header: missing key ${key}`);
    return v;
  };
  const version = need('version');
  if (!SUPPORTED_VERSIONS.has(version))
    throw formatError(`unsupported model version "${version}" (expected v4)`);
  const numClass = parseInteger(need('num_class'), 'num_class');
  const perIter = parseInteger(
    header.get('num_tree_per_iteration') ?? String(numClass),
    'num_tree_per_iteration',
  );
  if (numClass !== 1 || perIter !== 1) {
    throw formatError(
      `num_class=${numClass}, num_tree_per_iteration=${perIter}: only single-output models are supported`,
    );
  }
  const labelIndex = parseInteger(need('label_index'), 'label_index');
  const maxFeatureIdx = parseInteger(need('max_feature_idx'), 'max_feature_idx');
  const objectiveLine = need('objective');
  const { objective, sigmoid } = parseObjective(objectiveLine);
  const featureNames = need('feature_names').split(' ');
  const featureInfos = need('feature_infos').split(' ');
  if (featureNames.length !== maxFeatureIdx + 1 || featureInfos.length !== maxFeatureIdx + 1) {
    throw formatError(`expected ${maxFeatureIdx + 1} feature_names and feature_infos`);
  }
  const treeSizes = need('tree_sizes') === '' ? [] : need('tree_sizes').split(' ');

  const trees: GbdtTree[] = [];
  while (pos < lines.length && lines[pos] !== 'end of trees') {
    const line = lines[pos++] as string;
    if (line === '') continue;
    if (!line.startsWith('Tree='))
      throw formatError(`expected "Tree=${trees.length}", got "${line.slice(0, 40)}"`);
    const index = parseInteger(line.slice(5), 'Tree=');
    if (index !== trees.length) throw formatError(`expected Tree=${trees.length}, got ${line}`);
    const kv = new Map<string, string>();
    while (pos < lines.length && lines[pos] !== '') {
      const l = lines[pos++] as string;
      const eq = l.indexOf('=');
      if (eq < 0) throw formatError(`Tree=${index}: malformed line "${l.slice(0, 40)}"`);
      kv.set(l.slice(0, eq), l.slice(eq + 1));
    }
    trees.push(readTree(index, kv, maxFeatureIdx));
  }
  if (pos >= lines.length) throw formatError('missing "end of trees"');
  if (treeSizes.length !== trees.length) {
    throw formatError(`tree_sizes lists ${treeSizes.length} trees, file has ${trees.length}`);
  }
  pos++;

  // feature_importances are derived data (the writer recomputes them); parameters are kept.
  const parameters: Record<string, string> = {};
  let trailer: string | undefined;
  const paramStart = lines.indexOf('parameters:', pos);
  if (paramStart >= 0) {
    const paramEnd = lines.indexOf('end of parameters', paramStart);
    if (paramEnd < 0) throw formatError('missing "end of parameters"');
    for (const l of lines.slice(paramStart + 1, paramEnd)) {
      if (l === '') continue;
      const sep = l.indexOf(': ');
      if (!l.startsWith('[') || !l.endsWith(']') || sep < 0)
        throw formatError(`malformed parameter line "${l}"`);
      parameters[l.slice(1, sep)] = l.slice(sep + 2, -1);
    }
    const rest = lines.slice(paramEnd + 1).join('\n');
    if (rest !== '') trailer = rest;
  }

  const model: GbdtModel = {
    version,
    numClass: 1,
    numTreePerIteration: 1,
    labelIndex,
    maxFeatureIdx,
    objective,
    objectiveLine,
    sigmoid,
    featureNames,
    featureInfos,
    averageOutput: header.has('average_output'),
    trees,
    parameters,
  };
  const monotone = header.get('monotone_constraints');
  if (monotone !== undefined) model.monotoneConstraints = monotone;
  if (trailer !== undefined) model.trailer = trailer;
  return model;
}
