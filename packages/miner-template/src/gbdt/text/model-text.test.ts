import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAmlError } from '../../errors.js';
import { readModelText, writeModelText } from './index.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');
const OBJECTIVES = ['binary', 'regression', 'lambdarank'] as const;

/** A hand-written two-tree model: a stump on f1 and a single-leaf tree. */
function tinyModel(tree0Extra = '', header = 'version=v4\nnum_class=1'): string {
  const tree0 =
    'num_leaves=2\nnum_cat=0\nsplit_feature=1\nsplit_gain=3.5\nthreshold=0.5\ndecision_type=2\nleft_child=-1\nright_child=-2\n' +
    'leaf_value=-0.25 0.75\nleaf_weight=10 5\nleaf_count=10 5\ninternal_value=0\ninternal_weight=15\ninternal_count=15\n' +
    `is_linear=0\n${tree0Extra}shrinkage=1\n\n`;
  const tree1 =
    'num_leaves=1\nnum_cat=0\nsplit_feature=\nsplit_gain=\nthreshold=\ndecision_type=\nleft_child=\nright_child=\n' +
    'leaf_value=0.125\nleaf_weight=0\nleaf_count=0\ninternal_value=\ninternal_weight=\ninternal_count=\nis_linear=0\nshrinkage=1\n\n';
  const blocks = [`Tree=0\n${tree0}\n`, `Tree=1\n${tree1}\n`];
  return (
    `tree\n${header}\nnum_tree_per_iteration=1\nlabel_index=0\nmax_feature_idx=1\nobjective=regression\n` +
    'feature_names=a b\nfeature_infos=[0:1] [0:1]\n' +
    `tree_sizes=${blocks.map((b) => Buffer.byteLength(b)).join(' ')}\n\n${blocks.join('')}end of trees\n\n` +
    'feature_importances:\nb=1\n\nparameters:\n[boosting: gbdt]\n[objective: regression]\n\nend of parameters\n'
  );
}

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isAmlError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected an error');
}

describe('LightGBM text model round trip', () => {
  for (const objective of OBJECTIVES) {
    it(`${objective}: readModelText → writeModelText reproduces LightGBM 4.6's file byte for byte`, () => {
      const text = fixture(`${objective}_model.txt`);
      const model = readModelText(text);
      expect(model.objective).toBe(objective);
      expect(model.trees).toHaveLength(30);
      expect(writeModelText(model)).toBe(text);
    });
  }

  it('rf_binary: a random forest with average_output and monotone_constraints round-trips', () => {
    const text = fixture('rf_binary_model.txt');
    const model = readModelText(text);
    expect(model.averageOutput).toBe(true);
    expect(model.monotoneConstraints).toBe('1 0 0 0 0 0');
    expect(writeModelText(model)).toBe(text);
  });

  it('reads the header and parameters', () => {
    const model = readModelText(fixture('binary_model.txt'));
    expect(model.objectiveLine).toBe('binary sigmoid:1');
    expect(model.sigmoid).toBe(1);
    expect(model.featureNames).toEqual(['amount_usd', 'degree', 'ratio', 'score', 'is_flag', 'noise']);
    expect(model.parameters.objective).toBe('binary');
    expect(model.parameters.num_leaves).toBe('15');
  });

  it('round-trips a hand-written model with a single-leaf tree, and a Python trailer', () => {
    const text = `${tinyModel()}\npandas_categorical:null\n`;
    const model = readModelText(text);
    expect(model.trees[1]?.numLeaves).toBe(1);
    expect(Array.from(model.trees[1]?.leafValue ?? [])).toEqual([0.125]);
    expect(writeModelText(model)).toBe(text);
  });
});

describe('readModelText errors', () => {
  it('refuses unknown versions', () => {
    const e = errorOf(() => readModelText(tinyModel('', 'version=v9\nnum_class=1')));
    expect(e.code).toBe('AML_ERR_GBDT_MODEL_FORMAT');
    expect(e.message).toContain('v9');
  });

  it('refuses multiclass models', () => {
    const e = errorOf(() => readModelText(tinyModel('', 'version=v4\nnum_class=3')));
    expect(e.code).toBe('AML_ERR_GBDT_MODEL_FORMAT');
    expect(e.message).toContain('num_class=3');
  });

  it('names the tree and the missing key', () => {
    const text = tinyModel().replace('leaf_value=0.125\n', '');
    const e = errorOf(() => readModelText(text));
    expect(e).toEqual({
      code: 'AML_ERR_GBDT_MODEL_FORMAT',
      message: 'cannot read model: Tree=1: missing key leaf_value',
    });
  });

  it('refuses broken categorical splits and linear trees, naming the tree', () => {
    // a categorical node whose threshold is no index into cat_boundaries
    const cat = errorOf(() => readModelText(tinyModel().replace('decision_type=2\n', 'decision_type=1\n')));
    expect(cat.code).toBe('AML_ERR_GBDT_MODEL_FORMAT');
    expect(cat.message).toContain('Tree=0: categorical node 0');
    const numCat = errorOf(() =>
      readModelText(tinyModel().replace('num_leaves=2\nnum_cat=0', 'num_leaves=2\nnum_cat=1')),
    );
    expect(numCat.message).toContain('Tree=0: num_cat=1 needs cat_boundaries and cat_threshold');
    const linear = errorOf(() =>
      readModelText(
        tinyModel().replace(
          'leaf_value=0.125\nleaf_weight=0\nleaf_count=0\ninternal_value=\ninternal_weight=\ninternal_count=\nis_linear=0',
          'leaf_value=0.125\nleaf_weight=0\nleaf_count=0\ninternal_value=\ninternal_weight=\ninternal_count=\nis_linear=1',
        ),
      ),
    );
    expect(linear.code).toBe('AML_ERR_GBDT_UNSUPPORTED');
    expect(linear.message).toContain('Tree=1');
  });

  it('refuses wrong array lengths and broken structure', () => {
    expect(
      errorOf(() => readModelText(tinyModel().replace('leaf_value=-0.25 0.75', 'leaf_value=-0.25'))).message,
    ).toContain('Tree=0 leaf_value: expected 2 values, got 1');
    expect(errorOf(() => readModelText(tinyModel().replace('right_child=-2', 'right_child=-1'))).code).toBe(
      'AML_ERR_GBDT_MODEL_FORMAT',
    );
    expect(errorOf(() => readModelText('hello')).code).toBe('AML_ERR_GBDT_MODEL_FORMAT');
  });

  it('refuses unsupported objectives', () => {
    const e = errorOf(() =>
      readModelText(tinyModel().replace('objective=regression', 'objective=multiclass num_class:3')),
    );
    expect(e.code).toBe('AML_ERR_GBDT_UNSUPPORTED');
  });
});
