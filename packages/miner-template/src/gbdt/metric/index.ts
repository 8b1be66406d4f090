/** Evaluation metrics: pure functions, shared by the trainer and the validator. */
export { auc, averagePrecision } from './auc.js';
export { discount, maxDcgAtK } from './dcg.js';
export { createEvaluator, type EvalSet, type Evaluator, type EvaluatorOptions } from './evaluator.js';
export { binaryLogLoss } from './logloss.js';
export { ndcgAtK, precisionAtK, recallAtK } from './ranking.js';
export { l2, rmse } from './regression.js';
