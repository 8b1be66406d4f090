/** The validator's pure scoring (SPEC §3): cycle scores, performance, ensemble, chain weights. */
export * from './chain-weights.js';
export * from './cycle-score.js';
export * from './ensemble.js';
export * from './performance.js';
