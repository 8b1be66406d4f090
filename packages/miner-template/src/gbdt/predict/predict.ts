/**
 * Raw and transformed predictions for a GbdtModel, bit-compatible with LightGBM's Predictor
 * (trees summed in order from 0.0, NumericalDecision for every split, sigmoid for binary). Walks
 * the flattened forest; rows are Float64Array or Float32Array (float32 values are widened to
 * double exactly, as LightGBM does). Pure.
 */
import type { GbdtModel } from '../model.js';
import { decide, type FlatForest, flattenModel, ZERO_THRESHOLD } from './flat-forest.js';

export type FeatureRow = Float64Array | Float32Array;

/**
 * Sum of the tree outputs for the row starting at `offset` of `data`. A value outside the zero
 * band [-kZeroThreshold, kZeroThreshold] compares against the threshold; NaN (which fails both
 * band tests) and in-band values take the precomputed nanChild / zeroChild, which encode
 * NumericalDecision for the node's missing type.
 */
function rawAt(f: FlatForest, data: FeatureRow, offset: number): number {
  if (f.hasCategorical) return rawAtWithCategorical(f, data, offset);
  const { roots, packed, threshold, nanChild, zeroChild, leafValue } = f;
  let sum = 0;
  for (let t = 0; t < f.numTrees; t++) {
    let node = roots[t] as number;
    while (node >= 0) {
      const p = 3 * node;
      const x = data[offset + (packed[p] as number)] as number;
      if (x > ZERO_THRESHOLD || x < -ZERO_THRESHOLD) {
        node = x <= (threshold[node] as number) ? (packed[p + 1] as number) : (packed[p + 2] as number);
      } else if (Number.isNaN(x)) {
        node = nanChild[node] as number;
      } else {
        node = zeroChild[node] as number;
      }
    }
    sum += leafValue[~node] as number;
  }
  return sum;
}

/** rawAt through decide(), for forests with categorical splits (kept out of the numerical hot loop). */
function rawAtWithCategorical(f: FlatForest, data: FeatureRow, offset: number): number {
  let sum = 0;
  for (let t = 0; t < f.numTrees; t++) {
    let node = f.roots[t] as number;
    while (node >= 0) node = decide(f, node, data[offset + (f.feature[node] as number)] as number);
    sum += f.leafValue[~node] as number;
  }
  return sum;
}

function checkWidth(model: GbdtModel, length: number, numRows: number): number {
  const width = model.maxFeatureIdx + 1;
  if (length < width * numRows) {
    throw new RangeError(
      `expected at least ${width * numRows} values (${numRows} rows × ${width} features), got ${length}`,
    );
  }
  return width;
}

/**
 * The model's raw score for one row of maxFeatureIdx+1 values: the sum of its trees (log-odds for
 * binary), as LightGBM's predict_raw_score — not averaged even for random forests.
 */
export function predictRaw(model: GbdtModel, row: FeatureRow): number {
  checkWidth(model, row.length, 1);
  return rawAt(flattenModel(model), row, 0);
}

/** Raw scores for `numRows` rows stored row-major in `matrix`. */
export function predictRawBatch(
  model: GbdtModel,
  matrix: FeatureRow,
  numRows: number,
  out: Float64Array = new Float64Array(numRows),
): Float64Array {
  const width = checkWidth(model, matrix.length, numRows);
  const f = flattenModel(model);
  for (let r = 0; r < numRows; r++) out[r] = rawAt(f, matrix, r * width);
  return out;
}

/**
 * The prediction from a raw score, as LightGBM's GBDT::Predict: an averaging model (random forest,
 * `average_output`) divides by its tree count first — its raw score stays the plain sum — then
 * the objective's ConvertOutput (sigmoid for binary, identity otherwise).
 */
export function transformScore(model: GbdtModel, raw: number): number {
  const score = model.averageOutput && model.trees.length > 0 ? raw / model.trees.length : raw;
  return model.objective === 'binary' ? 1 / (1 + Math.exp(-model.sigmoid * score)) : score;
}

/** The transformed prediction (probability for binary) for one row. */
export function predict(model: GbdtModel, row: FeatureRow): number {
  return transformScore(model, predictRaw(model, row));
}

/** Transformed predictions for `numRows` row-major rows. */
export function predictBatch(
  model: GbdtModel,
  matrix: FeatureRow,
  numRows: number,
  out: Float64Array = new Float64Array(numRows),
): Float64Array {
  predictRawBatch(model, matrix, numRows, out);
  if (model.objective === 'binary' || model.averageOutput) {
    for (let r = 0; r < numRows; r++) out[r] = transformScore(model, out[r] as number);
  }
  return out;
}
