/**
 * Feature selection for training: drops columns that cannot help a tree model (all or almost all
 * missing, constant), then thins highly correlated groups keeping the more important column, then
 * optionally drops columns a trained model gave zero importance. Pure and deterministic: the same
 * inputs give the same kept and dropped lists, in the same order.
 */
import { columnAt } from './matrix.js';
import { meanAndStd, pearson } from './stats.js';
import type { FeatureMatrix } from './types.js';

export type DropReason = 'constant' | 'all_missing' | `correlated_with:${string}` | 'low_importance';

export interface SelectFeaturesInput {
  matrix: FeatureMatrix;
  /** Training target; when no importances are given, |Pearson(column, label)| ranks columns. */
  label?: ArrayLike<number>;
  /** Column → importance (e.g. total gain). Higher wins a correlated pair; exactly 0 is dropped. */
  importances?: ReadonlyMap<string, number>;
  /** |Pearson r| above this marks a pair as redundant. */
  correlationThreshold?: number;
  /** Population variance at or below this is constant. */
  minVariance?: number;
  /** A column with a larger share of NaN than this is treated as all missing. */
  maxNaNFraction?: number;
}

export interface SelectFeaturesResult {
  /** Kept column names, in matrix order. */
  kept: string[];
  /** Dropped columns with the reason, in matrix order. */
  dropped: { name: string; reason: DropReason }[];
}

export function selectFeatures(input: SelectFeaturesInput): SelectFeaturesResult {
  const { matrix, label, importances } = input;
  const correlationThreshold = input.correlationThreshold ?? 0.98;
  const minVariance = input.minVariance ?? 1e-12;
  const maxNaNFraction = input.maxNaNFraction ?? 0.99;
  const width = matrix.names.length;
  const reasons: (DropReason | undefined)[] = new Array(width).fill(undefined);
  const columns: Float64Array[] = [];

  // 1. Missing and constant columns.
  for (let c = 0; c < width; c++) {
    const column = columnAt(matrix, c);
    columns.push(column);
    const { std, count } = meanAndStd(column);
    const nanFraction = matrix.numRows === 0 ? 1 : 1 - count / matrix.numRows;
    if (count === 0 || nanFraction > maxNaNFraction) reasons[c] = 'all_missing';
    else if (std * std <= minVariance) reasons[c] = 'constant';
  }

  // 2. Correlated columns: visit by importance (desc, ties by matrix order); a column correlated
  // with one already kept is dropped in its favour.
  const importance = new Float64Array(width);
  for (let c = 0; c < width; c++) {
    if (importances !== undefined) importance[c] = importances.get(matrix.names[c]!) ?? Number.NaN;
    else if (label !== undefined) importance[c] = Math.abs(pearson(columns[c]!, label));
    else importance[c] = Number.NaN;
  }
  const rank = (c: number): number =>
    Number.isNaN(importance[c]!) ? Number.NEGATIVE_INFINITY : importance[c]!;
  const order = [...Array(width).keys()]
    .filter((c) => reasons[c] === undefined)
    .sort((a, b) => rank(b) - rank(a) || a - b);
  // Columns without NaN are standardised to unit norm once, so r between two of them is one dot
  // product; a pair involving NaN falls back to the pairwise-complete Pearson.
  const unit = columns.map((column, c) => (reasons[c] === undefined ? unitNormalised(column) : undefined));
  const correlation = (a: number, b: number): number => {
    const ua = unit[a];
    const ub = unit[b];
    if (ua === undefined || ub === undefined) return pearson(columns[a]!, columns[b]!);
    let dot = 0;
    for (let r = 0; r < ua.length; r++) dot += ua[r]! * ub[r]!;
    return dot;
  };
  const kept: number[] = [];
  for (const c of order) {
    const twin = kept.find((k) => Math.abs(correlation(c, k)) > correlationThreshold);
    if (twin === undefined) kept.push(c);
    else reasons[c] = `correlated_with:${matrix.names[twin]!}`;
  }

  // 3. Zero importance, only when a model's importances were given (absent names are unknown, kept).
  if (importances !== undefined) {
    for (const c of kept) if (importances.get(matrix.names[c]!) === 0) reasons[c] = 'low_importance';
  }

  const result: SelectFeaturesResult = { kept: [], dropped: [] };
  for (let c = 0; c < width; c++) {
    const reason = reasons[c];
    if (reason === undefined) result.kept.push(matrix.names[c]!);
    else result.dropped.push({ name: matrix.names[c]!, reason });
  }
  return result;
}

/** (x − mean) / ‖x − mean‖ for a column with no NaN and some variance; undefined otherwise. */
function unitNormalised(column: Float64Array): Float64Array | undefined {
  const { mean, std, count } = meanAndStd(column);
  if (count !== column.length || !(std > 0)) return undefined;
  const norm = std * Math.sqrt(count);
  return column.map((v) => (v - mean) / norm);
}
