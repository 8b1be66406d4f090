/**
 * Graceful shutdown: stop accepting connections, let in-flight requests finish (Fastify answers new
 * ones on open connections with 503 meanwhile), and after a timeout cut the remaining connections.
 * installShutdownHandlers wires this to SIGTERM/SIGINT for the CLI; a second signal exits at once.
 */
import type { FastifyInstance } from 'fastify';

const IDLE_SWEEP_MS = 50;

export interface CloseResult {
  /** true when every in-flight request finished before the timeout. */
  drained: boolean;
}

export async function closeGracefully(app: FastifyInstance, timeoutMs: number): Promise<CloseResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const closed = app.close().then(() => 'closed' as const);
  // a keep-alive connection becomes idle only after its in-flight response; close those as they
  // free up instead of waiting out the keep-alive timeout
  const sweeper = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
  const first = await Promise.race([closed, timedOut]);
  clearTimeout(timer);
  clearInterval(sweeper);
  if (first === 'closed') return { drained: true };
  app.log.warn({ timeout_ms: timeoutMs }, 'shutdown timeout reached, closing open connections');
  app.server.closeAllConnections();
  await closed;
  return { drained: false };
}

export interface ShutdownHandlerOptions {
  timeoutMs: number;
  signals?: readonly NodeJS.Signals[];
  /** Runs after the server closed, before exiting (release models, flush logs). */
  onClosed?: (result: CloseResult) => Promise<void> | void;
  /** Process exit, injectable for tests. */
  exit?: (code: number) => void;
}

/** Returns a function that removes the handlers again. */
export function installShutdownHandlers(app: FastifyInstance, options: ShutdownHandlerOptions): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) {
      app.log.warn({ signal }, 'second signal during shutdown, exiting now');
      exit(1);
      return;
    }
    closing = true;
    app.log.info({ signal }, 'shutting down: draining in-flight requests');
    closeGracefully(app, options.timeoutMs)
      .then(async (result) => {
        await options.onClosed?.(result);
        app.log.info({ drained: result.drained }, 'server closed');
        exit(result.drained ? 0 : 1);
      })
      .catch((err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        exit(1);
      });
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
