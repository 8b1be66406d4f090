/** Public surface of the synthetic batch generator. Re-exports only. */

export { hashSeed, Rng, WeightedSampler } from '../random.js';
export {
  type AlertTruth,
  type GeneratedBatch,
  type GenerateOptions,
  generateBatch,
  type SyntheticTruth,
} from './generate.js';
export { FEATURE_COLUMNS, INTERNAL_COLUMNS, OUTPUT_COLUMNS } from './row-layout.js';
export { STRUCTURING_THRESHOLD_USD, TYPOLOGIES, type Typology } from './typologies.js';
