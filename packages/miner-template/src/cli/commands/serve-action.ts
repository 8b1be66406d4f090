/**
 * `aml-miner serve`: loads the configuration (environment, then flags), builds the model-backed
 * ScoringService, starts the HTTP API and drains it on SIGTERM/SIGINT.
 */
import { createServedScoringService, WorkerScoringService } from '../../api/scoring-pool/index.js';
import { createServer } from '../../api/server.js';
import { installShutdownHandlers } from '../../api/shutdown.js';
import { loadConfig } from '../../config/load.js';
import type { ServerConfigField } from '../../config/schema.js';

export interface ServeFlags {
  host?: string;
  port?: string;
  modelsDir?: string;
  bodyLimitMb?: string;
  threads?: string;
  workers?: string;
  logLevel?: string;
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

/** The command's action, loaded only when the command runs. */
export async function serveAction(flags: ServeFlags): Promise<void> {
  await serve(flags);
}
