/**
 * The feature contract between a model and the builders: a model's declared feature_names fix
 * the column order of its input, and every name must be one the builder produces. A mismatch is
 * an error at load or validation time, never a silently shifted or zero-filled column.
 */
import { amlError, ERRORS } from '../errors.js';
import type { FeatureMatrix } from './types.js';

function missingNames(modelFeatureNames: readonly string[], available: readonly string[]): string[] {
  const have = new Set(available);
  return [...new Set(modelFeatureNames.filter((name) => !have.has(name)))];
}

function mismatch(modelName: string, missing: readonly string[]) {
  return amlError(
    ERRORS.AML_ERR_MODEL_FEATURE_MISMATCH,
    [modelName, `the builder cannot produce ${missing.length} column(s): ${missing.join(', ')}`],
    { missing },
  );
}

/**
 * Throws AML_ERR_MODEL_FEATURE_MISMATCH (details.missing lists them) when the model declares a
 * column the builder does not produce. Builder columns the model does not use are fine.
 */
export function assertFeatureContract(
  modelFeatureNames: readonly string[],
  builderNames: readonly string[],
  modelName = 'model',
): void {
  const missing = missingNames(modelFeatureNames, builderNames);
  if (missing.length > 0) throw mismatch(modelName, missing);
}

/**
 * The matrix's columns reordered (and subset) to the model's declared order. Returns a new matrix;
 * throws AML_ERR_MODEL_FEATURE_MISMATCH naming every column the matrix lacks.
 */
export function selectColumns(
  matrix: FeatureMatrix,
  modelFeatureNames: readonly string[],
  modelName = 'model',
): FeatureMatrix {
  assertFeatureContract(modelFeatureNames, matrix.names, modelName);
  const position = new Map<string, number>();
  matrix.names.forEach((name, c) => {
    if (!position.has(name)) position.set(name, c);
  });
  const source = Int32Array.from(modelFeatureNames, (name) => position.get(name)!);
  const width = source.length;
  const stride = matrix.names.length;
  const values = new Float32Array(matrix.numRows * width);
  for (let r = 0; r < matrix.numRows; r++) {
    const from = r * stride;
    const to = r * width;
    for (let k = 0; k < width; k++) values[to + k] = matrix.values[from + source[k]!]!;
  }
  return { names: [...modelFeatureNames], values, numRows: matrix.numRows, rowIds: [...matrix.rowIds] };
}
