/**
 * The trainer's input shape and its validation. Features come either row-major (one flat n×d array,
 * as most callers hold them) or as one column per feature (as FeatureTable holds them); `columnOf`
 * hides the difference from the binning code.
 */
import { amlError, ERRORS } from '../../errors.js';

export interface TrainData {
  /** Row-major n×d values (NaN = missing). Give this or `columns`. */
  features?: Float64Array | Float32Array;
  /** One array of length numRows per feature. Give this or `features`. */
  columns?: ArrayLike<number>[];
  numRows: number;
  featureNames: string[];
  label: Float64Array;
  weight?: Float64Array;
  /** Query sizes in row order (ranking); they must sum to numRows. */
  group?: Int32Array;
}

/** Checks shapes and values once so the hot loops can trust them. */
export function validateTrainData(data: TrainData, role: string): void {
  const fail = (what: string) => amlError(ERRORS.AML_ERR_GBDT_DATA, [`${role}: ${what}`]);
  const n = data.numRows;
  const d = data.featureNames.length;
  if (!Number.isInteger(n) || n <= 0) throw fail(`expected numRows > 0, got ${n}`);
  if (d === 0) throw fail('expected at least one feature');
  if (data.features !== undefined) {
    if (data.features.length !== n * d) {
      throw fail(`expected features of length ${n}×${d}=${n * d}, got ${data.features.length}`);
    }
  } else if (data.columns !== undefined) {
    if (data.columns.length !== d) throw fail(`expected ${d} columns, got ${data.columns.length}`);
    for (let f = 0; f < d; f++) {
      if (data.columns[f].length !== n) {
        throw fail(`column ${data.featureNames[f]}: expected ${n} values, got ${data.columns[f].length}`);
      }
    }
  } else throw fail('expected features or columns');
  if (data.label.length !== n) throw fail(`expected ${n} labels, got ${data.label.length}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(data.label[i])) throw fail(`label at row ${i} is not a finite number`);
  }
  if (data.weight !== undefined) {
    if (data.weight.length !== n) throw fail(`expected ${n} weights, got ${data.weight.length}`);
    for (let i = 0; i < n; i++) {
      const w = data.weight[i];
      if (!(w >= 0) || !Number.isFinite(w)) throw fail(`weight at row ${i} must be finite and >= 0`);
    }
  }
  if (data.group !== undefined) {
    let sum = 0;
    for (let q = 0; q < data.group.length; q++) {
      if (data.group[q] <= 0) throw fail(`query ${q} has size ${data.group[q]}`);
      sum += data.group[q];
    }
    if (sum !== n) throw fail(`query sizes sum to ${sum}, expected ${n}`);
  }
}

/** Feature f as a Float64Array: the caller's own column when it is one (read only), else a copy in `out`. */
export function columnView(data: TrainData, f: number, out: Float64Array): Float64Array {
  const col = data.columns?.[f];
  return col instanceof Float64Array ? col : columnOf(data, f, out);
}

/** Copies feature f into `out` (length numRows). */
export function columnOf(data: TrainData, f: number, out: Float64Array): Float64Array {
  const n = data.numRows;
  if (data.columns !== undefined) {
    const col = data.columns[f];
    for (let i = 0; i < n; i++) out[i] = col[i];
    return out;
  }
  const x = data.features as Float64Array | Float32Array;
  const d = data.featureNames.length;
  for (let i = 0, j = f; i < n; i++, j += d) out[i] = x[j];
  return out;
}

/** Query boundaries [0, s0, s0+s1, ...] from sizes. */
export function queryBoundaries(group: Int32Array): Int32Array {
  const out = new Int32Array(group.length + 1);
  for (let q = 0; q < group.length; q++) out[q + 1] = out[q] + group[q];
  return out;
}
