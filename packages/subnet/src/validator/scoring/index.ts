/** The validator's pure scoring: performance over the window and weights beyond the reference. */
export * from './ensemble.js';
export * from './performance.js';
export * from './weights.js';
