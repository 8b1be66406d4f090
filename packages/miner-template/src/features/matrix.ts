/**
 * Allocation and column access for FeatureMatrix. Builders write straight into the row-major
 * float32 buffer (no intermediate per-column copies) at `row * stride + column`.
 */
import type { FeatureMatrix } from './types.js';

/** A matrix of the given shape with every cell NaN ("missing" until a family fills it). */
export function allocateMatrix(names: readonly string[], rowIds: readonly string[]): FeatureMatrix {
  const values = new Float32Array(rowIds.length * names.length).fill(Number.NaN);
  return { names: [...names], values, numRows: rowIds.length, rowIds: [...rowIds] };
}

/** One column as float64 (a copy), by name; undefined when the matrix has no such column. */
export function matrixColumn(matrix: FeatureMatrix, name: string): Float64Array | undefined {
  const c = matrix.names.indexOf(name);
  if (c < 0) return undefined;
  return columnAt(matrix, c);
}

/** Column `c` as float64 (a copy). */
export function columnAt(matrix: FeatureMatrix, c: number): Float64Array {
  const stride = matrix.names.length;
  const out = new Float64Array(matrix.numRows);
  for (let r = 0; r < matrix.numRows; r++) out[r] = matrix.values[r * stride + c]!;
  return out;
}

/** Writes a float64 column into column `c` (rounded to float32 as the matrix stores it). */
export function writeColumn(matrix: FeatureMatrix, c: number, column: ArrayLike<number>): void {
  const stride = matrix.names.length;
  for (let r = 0; r < matrix.numRows; r++) matrix.values[r * stride + c] = column[r]!;
}
