import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsvTable, toFeatureMatrix } from '../io/table-reader.js';
import { readModelText } from '../text/index.js';
import { predict, predictBatch, predictRaw, predictRawBatch } from './index.js';
import { modelOf, stump } from './test-models.test-support.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');
const numbers = (name: string) => fixture(name).trim().split('\n').map(Number);

/** rf_binary (a random forest with average_output) is scored on the binary test rows. */
const dataOf = (name: string) => (name === 'rf_binary' ? 'binary' : name);

function loadFixture(objective: string) {
  const model = readModelText(fixture(`${objective}_model.txt`));
  const table = parseCsvTable(fixture(`${dataOf(objective)}_test.csv`));
  const unused = new Set(model.featureNames.filter((_, i) => model.featureInfos[i] === 'none'));
  const matrix = toFeatureMatrix(table, model.featureNames, {
    skipColumns: ['label', 'qid'],
    optionalFeatures: unused,
  });
  return { model, matrix, numRows: table.numRows };
}

describe('predictor against LightGBM 4.6 (task=predict)', () => {
  for (const objective of ['binary', 'regression', 'lambdarank', 'rf_binary']) {
    it(`${objective}: raw and transformed scores match`, () => {
      const { model, matrix, numRows } = loadFixture(objective);
      const expectedRaw = numbers(`${objective}_pred_raw.txt`);
      const expected = numbers(`${objective}_pred.txt`);
      expect(expectedRaw).toHaveLength(numRows);
      const raw = predictRawBatch(model, matrix, numRows);
      const transformed = predictBatch(model, matrix, numRows);
      const width = model.maxFeatureIdx + 1;
      for (let r = 0; r < numRows; r++) {
        expect(Math.abs((raw[r] as number) - (expectedRaw[r] as number))).toBeLessThanOrEqual(1e-12);
        expect(Math.abs((transformed[r] as number) - (expected[r] as number))).toBeLessThanOrEqual(1e-15);
        const row = matrix.subarray(r * width, (r + 1) * width);
        expect(predictRaw(model, row)).toBe(raw[r]);
        expect(predict(model, row)).toBe(transformed[r]);
      }
    });
  }

  it('float32 rows are read as their exact double value', () => {
    const { model, matrix, numRows } = loadFixture('binary');
    const f32 = Float32Array.from(matrix);
    const viaF32 = predictRawBatch(model, f32, numRows);
    const viaF64 = predictRawBatch(model, Float64Array.from(f32), numRows);
    expect(Array.from(viaF32)).toEqual(Array.from(viaF64));
  });
});

describe("LightGBM's numerical decision", () => {
  const DEFAULT_LEFT = 2;
  const ZERO = 1 << 2;
  const NAN = 2 << 2;
  const tiny = 1e-36;
  const at = (decisionType: number, threshold: number, x: number) =>
    predictRaw(modelOf([stump(0, threshold, decisionType)], 1), Float64Array.of(x));

  it('missing type None: NaN and tiny values act as 0', () => {
    expect(at(0, 0.5, Number.NaN)).toBe(-1); // 0 <= 0.5
    expect(at(0, -0.5, Number.NaN)).toBe(1); // 0 > -0.5
    expect(at(DEFAULT_LEFT, -0.5, Number.NaN)).toBe(1); // default direction is ignored
    expect(at(0, -1e-35, -1e-35)).toBe(1); // parser rounds |x| <= 1e-35 to 0
    expect(at(0, 0.5, 0.5)).toBe(-1);
    expect(at(0, 0.5, 0.5000000000000001)).toBe(1);
  });

  it('missing type Zero: 0, tiny values and NaN take the default direction', () => {
    for (const x of [0, -0, tiny, -tiny, Number.NaN]) {
      expect(at(ZERO | DEFAULT_LEFT, -5, x)).toBe(-1);
      expect(at(ZERO, 5, x)).toBe(1);
    }
    expect(at(ZERO, 5, 1)).toBe(-1);
  });

  it('missing type NaN: NaN takes the default direction, 0 compares', () => {
    expect(at(NAN | DEFAULT_LEFT, -5, Number.NaN)).toBe(-1);
    expect(at(NAN, 5, Number.NaN)).toBe(1);
    expect(at(NAN | DEFAULT_LEFT, -5, 0)).toBe(1);
    expect(at(NAN, 5, 0)).toBe(-1);
  });

  it('binary applies the sigmoid with the model scale', () => {
    const model = modelOf([stump(0, 0, 0)], 1, 'binary');
    model.sigmoid = 2;
    expect(predict(model, Float64Array.of(1))).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
  });

  it('rejects rows that are too short', () => {
    expect(() => predictRaw(modelOf([stump(1, 0, 0)], 2), Float64Array.of(1))).toThrow(RangeError);
  });
});
