/** GBDT prediction: LightGBM-compatible raw scores and objective transforms over a flattened forest. */
export { type FlatForest, flattenModel } from './flat-forest.js';
export {
  type FeatureRow,
  predict,
  predictBatch,
  predictRaw,
  predictRawBatch,
  transformScore,
} from './predict.js';
