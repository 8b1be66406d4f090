/** Public surface of @aml/miner-template. Re-exports only. */

export * from './api/index.js';
export {
  addVersion,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  exitCodeFor,
  reportCliError,
  runCli,
} from './cli/run.js';
export * from './config/index.js';
export * from './data/index.js';
export * from './errors.js';
export * from './features/index.js';
export * from './foreign/index.js';
export * from './gbdt/index.js';
export * from './models/index.js';
export * from './schemas/index.js';
export * from './synthetic/index.js';
export * from './training/index.js';
export * from './validation/index.js';
