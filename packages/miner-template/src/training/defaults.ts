/**
 * Default hyperparameters per model, in LightGBM's names. Chosen for alert-sized data (thousands to
 * hundreds of thousands of rows, ~150 columns, 10–20% positives): a moderate learning rate with
 * patient early stopping, some row and column subsampling against overfitting to one day's quirks,
 * and trees of at most depth 6: exact TreeSHAP costs leaves × depth² per tree and row, and every
 * served alert carries an explanation, so shallow trees keep 10,000 explanations well under a second.
 * The ranker trains a fixed number of rounds: NDCG@10 on a handful of validation queries is too
 * noisy to stop on.
 */
import type { GbdtParamsInput } from '../gbdt/params.js';
import type { ModelName } from '../schemas/api.js';

export const DEFAULT_PARAMS: Readonly<Record<ModelName, GbdtParamsInput>> = {
  alert_scorer: {
    objective: 'binary',
    metric: 'auc,average_precision',
    num_iterations: 100,
    learning_rate: 0.1,
    num_leaves: 15,
    max_depth: 6,
    min_data_in_leaf: 20,
    feature_fraction: 0.8,
    bagging_fraction: 0.8,
    bagging_freq: 1,
    lambda_l2: 1,
    early_stopping_round: 50,
    first_metric_only: true,
  },
  alert_ranker: {
    objective: 'lambdarank',
    metric: 'ndcg',
    eval_at: '10',
    num_iterations: 100,
    learning_rate: 0.05,
    num_leaves: 15,
    max_depth: 6,
    min_data_in_leaf: 20,
    feature_fraction: 0.8,
    lambdarank_truncation_level: 30,
  },
  // Clusters are few (thousands, not tens of thousands) and their columns are aggregates: small,
  // well-populated leaves and stronger column subsampling keep the model from memorising one
  // producer's cluster shapes (foreign-producer AUC rose and varied far less across seeds).
  cluster_scorer: {
    objective: 'binary',
    metric: 'auc,average_precision',
    num_iterations: 200,
    learning_rate: 0.05,
    num_leaves: 7,
    max_depth: 6,
    min_data_in_leaf: 50,
    feature_fraction: 0.6,
    bagging_fraction: 0.8,
    bagging_freq: 1,
    lambda_l2: 5,
    early_stopping_round: 50,
    first_metric_only: true,
  },
};
