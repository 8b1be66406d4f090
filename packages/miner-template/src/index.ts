/** Public surface of @aml/miner-template. Re-exports only. */

export * from './errors.js';
export * from './schemas/index.js';
