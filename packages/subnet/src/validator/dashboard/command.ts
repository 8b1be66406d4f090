/**
 * The dashboard on the command line: the `aml-validator dashboard` command (serves an existing
 * store until SIGINT/SIGTERM, beside a running validator or on a copy of its store) and the
 * `--dashboard.*` options the main loop shares with it.
 */
import { listenHostFlag, portFlag } from '@aml/miner-template/cli';
import type { Command } from 'commander';
import { pino } from 'pino';
import type { ValidatorStore } from '../store/types.js';
import {
  type DashboardServer,
  DEFAULT_DASHBOARD_HOST,
  DEFAULT_DASHBOARD_PORT,
  startDashboard,
} from './server.js';

type Opts = Record<string, unknown>;

export function addDashboardHostOption(cmd: Command): Command {
  return cmd.option(
    '--dashboard.host <ip>',
    'address the dashboard listens on (loopback by default: it has no authentication)',
    listenHostFlag('--dashboard.host'),
    DEFAULT_DASHBOARD_HOST,
  );
}

/** `--dashboard.port` of the main loop: no default there, the dashboard is opt-in while running. */
export function addDashboardServeOptions(cmd: Command): Command {
  return addDashboardHostOption(
    cmd.option(
      '--dashboard.port <port>',
      'serve the web dashboard on this port while the validator runs',
      portFlag('--dashboard.port'),
    ),
  );
}

/** Starts the dashboard when the options ask for one (the main loop's `--dashboard.port`). */
export async function dashboardFromOptions(
  opts: Opts,
  store: ValidatorStore,
  log: pino.Logger,
): Promise<DashboardServer | undefined> {
  if (opts['dashboard.port'] === undefined) return undefined;
  const server = await startDashboard({
    store,
    host: String(opts['dashboard.host']),
    port: opts['dashboard.port'] as number,
    logger: log,
  });
  log.info({ url: server.url }, 'dashboard listening');
  return server;
}

/** Resolves on the first SIGINT or SIGTERM. */
const untilSignal = () =>
  new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });

export function registerDashboardCommand(
  program: Command,
  openExisting: (opts: Opts) => Promise<ValidatorStore>,
  write: (text: string) => void,
): void {
  const cmd = program
    .command('dashboard')
    .description(
      "serve a web page of the store's cycles: miners, tiers, weights, history charts, stealth audit",
    )
    .option('--store.path <file>', 'SQLite store', 'validator-data/validator.sqlite')
    .option('--store.url <url>', 'PostgreSQL store (postgres://user@host:port/db) instead of SQLite')
    .option(
      '--dashboard.port <port>',
      'port (0: any free port)',
      portFlag('--dashboard.port'),
      DEFAULT_DASHBOARD_PORT,
    )
    .option('--logging.level <level>', 'trace | debug | info | warn | error', 'info');
  addDashboardHostOption(cmd).action(async (opts: Opts) => {
    const log = pino({ level: String(opts['logging.level']) }, pino.destination(2));
    const store = await openExisting(opts);
    let server: DashboardServer | undefined;
    try {
      server = await dashboardFromOptions(opts, store, log);
      // the URL on stdout, so a script (or a test) starting it on port 0 learns where it is
      write(`dashboard on ${server!.url} (Ctrl-C to stop)\n`);
      await untilSignal();
    } finally {
      await server?.close();
      await store.close();
    }
  });
}
