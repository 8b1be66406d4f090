/** The validator cycle: steps, context and the runner. */
export type { CycleContext, CycleSettings, QueryClient, StepHook } from './context.js';
export { computeEnsemble, minerPerformance } from './ensemble-step.js';
export { queryMiners, servingMiners } from './query-step.js';
export { batchIdOf, type CycleReport, runCycle } from './run-cycle.js';
export { settleTier3 } from './settle-step.js';
export { alignedScores, computeTiers } from './tier-step.js';
export { revealDue, setWeightsStep, type WeightsOutcome } from './weights-step.js';
