/** The tier checks, shared by the subnet's validator and `aml-miner validate-submission`. */

export * from './copies.js';
export * from './cycle-score.js';
export * from './reference.js';
export * from './submission.js';
export * from './tier1.js';
export * from './tier2.js';
export * from './tier3.js';
export * from './traps/index.js';
