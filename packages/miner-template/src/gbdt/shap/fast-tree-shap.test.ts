import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvTable, toFeatureMatrix } from '../io/table-reader.js';
import { modelOf, randomModel, randomTree, rng } from '../predict/test-models.test-support.js';
import { readModelText } from '../text/index.js';
import { createScratch, explainBatchFast, explainRowsInto } from './fast-tree-shap.js';
import { buildShapPlan, NODE_INFO_WIDTH, TREE_MODE_RECURSIVE, TREE_MODE_TABLE } from './shap-plan.js';
import { explainBatch } from './tree-shap.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');

// thresholds of random trees are multiples of 0.01 in [-1, 1]: hit them, zero and NaN often
const cell = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1.2, max: 1.2, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-36) },
  { weight: 2, arbitrary: fc.integer({ min: -100, max: 100 }).map((k) => k / 100) },
);

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

describe('fast TreeSHAP (per-leaf tables)', () => {
  it('equals the reference Algorithm 2 within 1e-12 on random ensembles (repeated features, NaN)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(cell, { minLength: 8 * 6, maxLength: 8 * 6 }),
        (seed, numTrees, numLeaves, numFeatures, cells) => {
          const model = randomModel(seed, numTrees, numLeaves, numFeatures);
          const rows = Math.floor(cells.length / numFeatures);
          const matrix = Float64Array.from(cells.slice(0, rows * numFeatures));
          const want = explainBatch(model, matrix, rows);
          const got = explainBatchFast(model, matrix, rows);
          expect(got.expectedValue).toBe(want.expectedValue);
          expect(maxAbsDiff(got.contributions, want.contributions)).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('float32 rows give the same contributions as the same values widened to float64', () => {
    const model = randomModel(5, 30, 15, 12);
    const random = rng(17);
    const rows32 = new Float32Array(200 * 12);
    for (let i = 0; i < rows32.length; i++) rows32[i] = random() < 0.1 ? Number.NaN : random() * 2.4 - 1.2;
    const a = explainBatchFast(model, rows32, 200).contributions;
    const b = explainBatchFast(model, Float64Array.from(rows32), 200).contributions;
    expect(a).toEqual(b);
    expect(maxAbsDiff(a, explainBatch(model, rows32, 200).contributions)).toBeLessThan(1e-12);
  });

  it('trees over the table budget use the recursive algorithm, mixed with table trees', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.array(cell, { minLength: 10, maxLength: 10 }),
        (seed, cells) => {
          const random = rng(seed);
          // a 12-deep caterpillar over 10 features (up to 1024 × 10 entries per leaf) among small trees
          const n = 12;
          const deep = randomTree(random, n + 1, n);
          for (let i = 0; i < n; i++) {
            deep.splitFeature[i] = i % 10;
            deep.leftChild[i] = i + 1 < n ? i + 1 : ~n;
            deep.rightChild[i] = ~i;
          }
          for (let i = n - 1; i >= 0; i--) {
            const l = deep.leftChild[i] as number;
            deep.internalCount[i] =
              (l >= 0 ? (deep.internalCount[l] as number) : (deep.leafCount[~l] as number)) +
              (deep.leafCount[i] as number);
          }
          const model = modelOf(
            [randomTree(random, 9, 10), deep, randomTree(random, 1, 10), randomTree(random, 8, 10)],
            10,
          );
          const plan = buildShapPlan(model, { maxTreeTableEntries: 8192 });
          expect(Array.from(plan.treeMode)).toEqual([
            TREE_MODE_TABLE,
            TREE_MODE_RECURSIVE,
            0,
            TREE_MODE_TABLE,
          ]);
          const row = Float64Array.from(cells);
          const out = new Float64Array(10);
          explainRowsInto(plan, createScratch(plan), row, 0, 1, out);
          const want = explainBatch(model, row, 1).contributions;
          expect(maxAbsDiff(out, want)).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('sibling leaves share one pair table; every other leaf has its own', () => {
    const model = randomModel(12, 20, 15, 6);
    const plan = buildShapPlan(model);
    let pairs = 0;
    for (let n = 0; n < plan.forest.feature.length; n++) {
      if ((plan.nodeInfo[NODE_INFO_WIDTH * n + 5] as number) >= 0) pairs++;
    }
    let ownTables = 0;
    for (let l = 0; l < plan.forest.leafValue.length; l++)
      if ((plan.leafInfo[3 * l + 2] as number) >= 0) ownTables++;
    expect(pairs).toBeGreaterThan(0);
    expect(2 * pairs + ownTables).toBe(plan.forest.leafValue.length);
  });

  it('a zero total table budget makes every tree recursive and still exact', () => {
    const model = randomModel(8, 10, 15, 6);
    const plan = buildShapPlan(model, { maxTotalTableEntries: 0 });
    expect(plan.treeMode.every((m) => m === TREE_MODE_RECURSIVE)).toBe(true);
    const random = rng(4);
    const rows = Float64Array.from({ length: 50 * 6 }, () =>
      random() < 0.1 ? Number.NaN : random() * 2 - 1,
    );
    const out = new Float64Array(rows.length);
    explainRowsInto(plan, createScratch(plan), rows, 0, 50, out);
    expect(out).toEqual(explainBatch(model, rows, 50).contributions);
  });

  for (const objective of ['binary', 'regression', 'lambdarank', 'rf_binary']) {
    it(`${objective}: matches LightGBM 4.6 predict_contrib within 1e-12`, () => {
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
      const { contributions, expectedValue } = explainBatchFast(model, matrix, table.numRows);
      for (let r = 0; r < table.numRows; r++) {
        const want = expected[r] as number[];
        expect(Math.abs(expectedValue - (want[width] as number))).toBeLessThan(1e-12);
        for (let j = 0; j < width; j++) {
          expect(Math.abs((contributions[r * width + j] as number) - (want[j] as number))).toBeLessThan(
            1e-12,
          );
        }
      }
    });
  }

  it('rejects a matrix shorter than numRows × width', () => {
    expect(() => explainBatchFast(randomModel(1, 2, 4, 5), new Float64Array(9), 2)).toThrow(RangeError);
  });
});
