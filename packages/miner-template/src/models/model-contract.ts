/**
 * The contract every served model meets (the seed design's base_model): load, predict, explain,
 * version and feature names. Implementations hide how (ONNX Runtime for scores, TreeSHAP on the
 * LightGBM trees for explanations); the scorers and the API only see this interface.
 */
import type { FeatureMatrix } from '../features/types.js';
import type { ModelName } from '../schemas/api.js';

export interface FeatureContribution {
  name: string;
  /** The feature's value for the row; null when missing (NaN). */
  value: number | null;
  /** Contribution in raw-score units (log-odds for binary models). */
  contribution: number;
}

export interface RowExplanation {
  topFeatures: FeatureContribution[];
  baseValue: number;
}

/** Per-request scoring options (docs/api.md): `explain: false` leaves explain_json out. */
export interface ScoreOptions {
  explain?: boolean;
}

export interface BaseModel {
  readonly name: ModelName;
  readonly version: string;
  /** The model's input columns, in order. */
  readonly featureNames: readonly string[];
  /** Scores for every row of a matrix already in featureNames order (probability for binary). */
  predict(matrix: FeatureMatrix): Promise<Float64Array>;
  /** Exact TreeSHAP per row: the topK features by |contribution| and the base value. */
  explain(matrix: FeatureMatrix, topK?: number): RowExplanation[];
  close(): Promise<void>;
}
