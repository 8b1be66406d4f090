/**
 * `aml-miner serve`: loads the configuration (environment, then flags), builds the model-backed
 * ScoringService, starts the HTTP API and drains it on SIGTERM/SIGINT.
 */
import type { Command } from 'commander';
import { createServedScoringService, WorkerScoringService } from '../../api/scoring-pool/index.js';
import { createServer } from '../../api/server.js';
import { installShutdownHandlers } from '../../api/shutdown.js';
import { loadConfig } from '../../config/load.js';
import type { ServerConfigField } from '../../config/schema.js';

interface ServeFlags {
  host?: string;
  port?: string;
  modelsDir?: string;
  bodyLimitMb?: string;
  threads?: string;
  workers?: string;
  logLevel?: string;
}

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
    .action(async (flags: ServeFlags) => {
      await serve(flags);
    });
}

export async function serve(flags: ServeFlags): Promise<void> {
  const given: Partial<Record<ServerConfigField, string>> = {
    host: flags.host,
    port: flags.port,
    modelsDir: flags.modelsDir,
    bodyLimitMb: flags.bodyLimitMb,
    threads: flags.threads,
    workers: flags.workers,
    logLevel: flags.logLevel,
  };
  const config = loadConfig({ flags: given });
  const service = await createServedScoringService(config);
  const app = await createServer({ service, config });
  installShutdownHandlers(app, {
    timeoutMs: config.shutdownTimeoutMs,
    onClosed: async () => {
      await service.close?.();
    },
  });
  await app.listen({ host: config.host, port: config.port });
  // A task with no model file starts degraded: warn once per task, naming what was looked for.
  for (const [name, reason] of Object.entries(service.problems))
    app.log.warn({ model: name }, `model ${name} not loaded: ${reason}`);
  const versions = service.versions();
  const served = Object.entries(versions)
    .map(([name, version]) => `${name} ${version ?? 'not loaded'}`)
    .join(', ');
  // the worker count goes in the log object: the ready line's text is what operators grep for
  const workers = service instanceof WorkerScoringService ? service.workers : 0;
  app.log.info({ models: versions, models_dir: config.modelsDir, workers }, `aml-miner API ready: ${served}`);
}
