/**
 * Exact path-dependent TreeSHAP for GbdtModels (per-feature contributions in raw-score units):
 * the reference Algorithm 2 (tree-shap.ts), the per-leaf-table fast path (fast-tree-shap.ts) and
 * a worker-thread pool over the fast path (pool.ts).
 */
export { createScratch, explainBatchFast, explainRowsInto, type ShapScratch } from './fast-tree-shap.js';
export { DEFAULT_MIN_POOL_ROWS, ShapPool, type ShapPoolOptions } from './pool.js';
export { buildShapPlan, type ShapPlan, type ShapPlanOptions } from './shap-plan.js';
export {
  type BatchExplanation,
  type Explanation,
  expectedValue,
  explainBatch,
  explainRow,
} from './tree-shap.js';
