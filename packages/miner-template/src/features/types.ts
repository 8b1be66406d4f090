/**
 * Shapes shared by the feature builders, the column selector and the feature selector. A feature
 * matrix is row-major float32 because that is what the tree predictor and ONNX Runtime consume;
 * missing values are NaN, never 0.
 */

/** A dense feature matrix: row r, column c lives at `values[r * names.length + c]`. */
export interface FeatureMatrix {
  /** Column names, in column order. Stable: the same options give the same list on every batch. */
  names: string[];
  /** Row-major values, length numRows × names.length; NaN = missing. */
  values: Float32Array;
  numRows: number;
  /** One id per row: the alert_id (alert matrices) or the cluster_id (cluster matrices). */
  rowIds: string[];
}

export interface AlertFeatureOptions {
  /**
   * Feature-table columns to include beyond the upstream table's (docs/data-contracts.md), as `addr_<name>` in
   * this order. A named column the batch lacks is NaN; a batch column not named here is left out.
   * Freeze this list at training time (see listExtraFeatureColumns) so serving builds the same
   * columns.
   */
  extraFeatureColumns?: readonly string[];
}

export interface ClusterFeatureOptions {
  /** Feature-table columns averaged over a cluster's addresses (`members_mean_addr_<name>`). */
  memberFeatureColumns?: readonly string[];
}
