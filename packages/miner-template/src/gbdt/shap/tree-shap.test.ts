import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvTable, toFeatureMatrix } from '../io/table-reader.js';
import type { GbdtModel, GbdtTree } from '../model.js';
import { isDefaultLeft, missingTypeOf } from '../model.js';
import { predictRaw, predictRawBatch } from '../predict/index.js';
import { modelOf, randomModel, randomTree, rng } from '../predict/test-models.test-support.js';
import { readModelText } from '../text/index.js';
import { explainBatchFast } from './fast-tree-shap.js';
import { explainBatch, explainRow } from './index.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');

/** LightGBM's decision, restated independently from the spec in tree.h (test oracle). */
function goesLeft(tree: GbdtTree, node: number, x: number): boolean {
  const dt = tree.decisionType[node] as number;
  const mt = missingTypeOf(dt);
  let v = Number.isNaN(x) && mt !== 2 ? 0 : x;
  if (Math.abs(v) <= Math.fround(1e-35)) v = 0;
  if ((mt === 1 && v === 0) || (mt === 2 && Number.isNaN(v))) return isDefaultLeft(dt);
  return v <= (tree.threshold[node] as number);
}

/** E[tree(x) | x_S] with the path-dependent (cover-weighted) expectation for features outside S. */
function conditional(tree: GbdtTree, row: Float64Array, inS: (f: number) => boolean, node = 0): number {
  if (tree.numLeaves === 1) return tree.leafValue[0] as number;
  if (node < 0) return tree.leafValue[~node] as number;
  const l = tree.leftChild[node] as number;
  const r = tree.rightChild[node] as number;
  const f = tree.splitFeature[node] as number;
  if (inS(f)) return conditional(tree, row, inS, goesLeft(tree, node, row[f] as number) ? l : r);
  const cover = (c: number) => (c < 0 ? (tree.leafCount[~c] as number) : (tree.internalCount[c] as number));
  const total = cover(node);
  return (
    (cover(l) / total) * conditional(tree, row, inS, l) + (cover(r) / total) * conditional(tree, row, inS, r)
  );
}

/** Shapley values by enumerating every feature subset. */
function bruteForceShap(model: GbdtModel, row: Float64Array): { phi: number[]; base: number } {
  const m = model.maxFeatureIdx + 1;
  const value = (mask: number) =>
    model.trees.reduce((s, t) => s + conditional(t, row, (f) => ((mask >> f) & 1) === 1), 0);
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const phi = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    for (let mask = 0; mask < 1 << m; mask++) {
      if ((mask >> i) & 1) continue;
      let size = 0;
      for (let b = 0; b < m; b++) size += (mask >> b) & 1;
      const w = (fact(size) * fact(m - size - 1)) / fact(m);
      phi[i] = (phi[i] as number) + w * (value(mask | (1 << i)) - value(mask));
    }
  }
  return { phi, base: value(0) };
}

const cell = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1.2, max: 1.2, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constantFrom(-0.5, 0, 0.25, 0.5) },
);

describe('TreeSHAP', () => {
  it('equals brute-force Shapley values on small random ensembles', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(cell, { minLength: 5, maxLength: 5 }),
        (seed, numTrees, numLeaves, numFeatures, cells) => {
          const model = randomModel(seed, numTrees, numLeaves, numFeatures);
          const row = Float64Array.from(cells.slice(0, numFeatures));
          const ref = bruteForceShap(model, row);
          const { contributions, expectedValue } = explainRow(model, row);
          expect(expectedValue).toBeCloseTo(ref.base, 10);
          for (let i = 0; i < numFeatures; i++)
            expect(contributions[i]).toBeCloseTo(ref.phi[i] as number, 10);
          const fast = explainBatchFast(model, row, 1);
          expect(fast.expectedValue).toBeCloseTo(ref.base, 10);
          for (let i = 0; i < numFeatures; i++)
            expect(fast.contributions[i]).toBeCloseTo(ref.phi[i] as number, 10);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('deep paths (a 12-feature caterpillar tree, repeated unwinding) agree with brute force', () => {
    // a caterpillar: node i splits feature i, its right child is a leaf, so paths reach 12 features
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.array(cell, { minLength: 12, maxLength: 12 }),
        (seed, cells) => {
          const random = rng(seed);
          const n = 12;
          const tree = randomTree(random, n + 1, n);
          for (let i = 0; i < n; i++) {
            tree.splitFeature[i] = i;
            tree.leftChild[i] = i + 1 < n ? i + 1 : ~n;
            tree.rightChild[i] = ~i;
          }
          for (let i = n - 1; i >= 0; i--) {
            const l = tree.leftChild[i] as number;
            tree.internalCount[i] =
              (l >= 0 ? (tree.internalCount[l] as number) : (tree.leafCount[~l] as number)) +
              (tree.leafCount[i] as number);
          }
          const model = modelOf([tree], n);
          const row = Float64Array.from(cells);
          const { contributions } = explainRow(model, row);
          const ref = bruteForceShap(model, row);
          for (let i = 0; i < n; i++) expect(contributions[i]).toBeCloseTo(ref.phi[i] as number, 10);
          // 12 distinct path features (4096 × 12 table entries) exceed the default budget: recursive
          const fast = explainBatchFast(model, row, 1).contributions;
          for (let i = 0; i < n; i++) expect(fast[i]).toBeCloseTo(ref.phi[i] as number, 10);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('is additive: contributions + expected value = raw score', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.array(cell, { minLength: 8, maxLength: 8 }),
        (seed, cells) => {
          const model = randomModel(seed, 20, 31, 8);
          const row = Float64Array.from(cells);
          const { contributions, expectedValue } = explainRow(model, row);
          const sum = contributions.reduce((a, b) => a + b, expectedValue);
          expect(Math.abs(sum - predictRaw(model, row))).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 100 },
    );
  });

  for (const objective of ['binary', 'regression', 'lambdarank', 'rf_binary']) {
    it(`${objective}: matches LightGBM 4.6 predict_contrib`, () => {
      const model = readModelText(fixture(`${objective}_model.txt`));
      const table = parseCsvTable(fixture(`${objective === 'rf_binary' ? 'binary' : objective}_test.csv`));
      const unused = new Set(model.featureNames.filter((_, i) => model.featureInfos[i] === 'none'));
      const matrix = toFeatureMatrix(table, model.featureNames, {
        skipColumns: ['label', 'qid'],
        optionalFeatures: unused,
      });
      const expected = fixture(`${objective}_pred_contrib.txt`)
        .trim()
        .split('\n')
        .map((l) => l.split('\t').map(Number));
      const width = model.maxFeatureIdx + 1;
      const { contributions, expectedValue } = explainBatch(model, matrix, table.numRows);
      const raw = predictRawBatch(model, matrix, table.numRows);
      for (let r = 0; r < table.numRows; r++) {
        const want = expected[r] as number[];
        expect(want).toHaveLength(width + 1);
        expect(Math.abs(expectedValue - (want[width] as number))).toBeLessThan(1e-12);
        let sum = expectedValue;
        for (let j = 0; j < width; j++) {
          const got = contributions[r * width + j] as number;
          expect(Math.abs(got - (want[j] as number))).toBeLessThan(1e-12);
          sum += got;
        }
        expect(Math.abs(sum - (raw[r] as number))).toBeLessThan(1e-9);
      }
    });
  }
});
