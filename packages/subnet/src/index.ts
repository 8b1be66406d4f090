/** Public surface of @aml/subnet. Re-exports only. */

// the command-line programs sit above every layer, so the root (not the layer barrels) exports them
export * from './axon/cli-program.js';
export * from './axon/index.js';
export * from './chain/index.js';
export * from './dendrite/index.js';
export * from './errors.js';
export * from './protocol/index.js';
export { buildValidatorProgram, describeReport } from './validator/cli-program.js';
export * from './validator/index.js';
export * from './wallet/index.js';
