/** Exact path-dependent TreeSHAP for GbdtModels (per-feature contributions in raw-score units). */
export {
  type BatchExplanation,
  type Explanation,
  expectedValue,
  explainBatch,
  explainRow,
} from './tree-shap.js';
