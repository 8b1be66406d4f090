/** The validator cycle: steps, context and the runner. */
export { alignedScores } from './aligned-scores.js';
export type { CycleContext, CycleSettings, QueryClient, StepHook } from './context.js';
export { computeEnsemble, type EnsembleOutcome } from './ensemble-step.js';
export { queryMiners, servingMiners } from './query-step.js';
export { type CycleBatch, keyOf, newCycleBatch, storedCycleBatch } from './request.js';
export { batchIdOf, type CycleReport, runCycle } from './run-cycle.js';
export { settledTier2, settleTier3 } from './settle-step.js';
export { excessOf, type Standing, standingAt, standingSummary } from './standing.js';
export { computeTiers, REFERENCE_HOTKEY, referenceAnswer } from './tier-step.js';
export { planWeights, revealDue, setWeightsStep, type WeightsOutcome } from './weights-step.js';
