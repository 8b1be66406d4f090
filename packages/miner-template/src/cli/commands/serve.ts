/**
 * `aml-miner serve`: the scoring API.
 * Only the options live here: the implementation (and what it imports) is in
 * serve-action.ts, loaded when the command runs, so that start-up and --help load nothing heavy.
 */
import type { Command } from 'commander';
import type { ServeFlags } from './serve-action.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the scoring API (settings from AML_* environment variables; flags override them)')
    .option('--host <host>', 'address to listen on (AML_HOST, default 127.0.0.1)')
    .option('--port <port>', 'TCP port (AML_PORT, default 8000)')
    .option('--models-dir <dir>', 'model directory (AML_MODELS_DIR, default trained_models)')
    .option('--body-limit-mb <mb>', 'largest request body in MB (AML_BODY_LIMIT_MB, default 200)')
    .option('--threads <n>', 'onnxruntime intra-op threads per model (AML_THREADS, default 1)')
    .option(
      '--workers <n>',
      'scoring worker threads, each loads the models (AML_WORKERS, default cores up to 4; 0 = main thread)',
    )
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (AML_LOG_LEVEL, default info)')
    .action(async (flags: ServeFlags) => (await import('./serve-action.js')).serveAction(flags));
}
