/** Public surface of @aml/subnet. Re-exports only. */

export * from './chain/index.js';
export * from './dendrite/index.js';
export * from './errors.js';
export * from './miner/index.js';
export * from './protocol/index.js';
export * from './validator/index.js';
export * from './wallet/index.js';
