/** What the bins of both packages share: the runner (one-line errors, exit codes) and the flag parsers. Re-exports only. */
export * from './flags.js';
export * from './run.js';
