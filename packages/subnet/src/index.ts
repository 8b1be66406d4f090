/** Public surface of @aml/subnet. Re-exports only. */

export * from './chain/index.js';
export * from './dendrite/index.js';
export * from './errors.js';
// the command-line programs sit above every layer, so the root (not the layer barrels) exports them
export * from './miner/cli-program.js';
export * from './miner/index.js';
export * from './protocol/index.js';
export { buildValidatorProgram, describeReport } from './validator/cli-program.js';
export * from './validator/index.js';
export * from './wallet/index.js';
