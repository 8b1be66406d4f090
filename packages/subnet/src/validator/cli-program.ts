/**
 * The `aml-validator` command line. `aml-validator [options]` runs the cycle loop; `run-once` runs
 * one cycle and prints the tier table; `status` prints the latest cycle's table; `export` writes a
 * batch's canonical scores; `audit-traps` runs the trap stealth audit on a batch; `dashboard` serves
 * a web page of the store. Flags follow Bittensor's names (`--netuid`, `--wallet.name`,
 * `--subtensor.network`, ...). The embedded default is `--subtensor.network local-sim`.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { dateFlag, integerFlag } from '@aml/miner-template/cli';
import { Command } from 'commander';
import { pino } from 'pino';
import type { LocalChainSeed } from '../chain/local-chain-seed.js';
import {
  BATCH_SOURCE_OPTIONS,
  declareOptions,
  LOOP_OPTIONS,
  LoopOptionsSchema,
  RUN_OPTIONS,
  type RunOptions,
  RunOptionsSchema,
} from '../cli/validator-options.js';
import { amlError, ERRORS, hasErrorCode } from '../errors.js';
import { cryptoReady } from '../protocol/signing.js';
import { type Hotkey, loadHotkey, loadHotkeyFromEnv } from '../wallet/hotkey.js';
import type { CycleReport } from './cycle/run-cycle.js';
import {
  addDashboardServeOptions,
  dashboardFromOptions,
  registerDashboardCommand,
} from './dashboard/command.js';
import { EXPORT_FORMATS, type ExportFormat, encodeCanonical } from './export.js';

/*
 * What the commands run is imported when a command runs, not when the bin starts: parsing the
 * flags (and --help, and a usage error) loads neither the cycle and its batch codecs (Arrow,
 * Parquet) nor a store driver nor prom-client.
 */
const neuronModule = () => import('./neuron.js');
const cycleModule = () => import('./cycle/run-cycle.js');
const statusModule = () => import('./status.js');

/** A fixed, public development key for trying the validator on local-sim without a wallet. */
const DEV_VALIDATOR_SEED = '0x6161616161616161616161616161616161616161616161616161616161616161';

type Opts = Record<string, unknown>;

const addBatchSourceOptions = (cmd: Command) => declareOptions(cmd, BATCH_SOURCE_OPTIONS);
const addRunOptions = (cmd: Command) => declareOptions(cmd, RUN_OPTIONS);

async function hotkeyFor(opts: RunOptions, log: pino.Logger): Promise<Hotkey> {
  const loc = { name: opts['wallet.name'], hotkey: opts['wallet.hotkey'], path: opts['wallet.path'] };
  try {
    return await loadHotkey(loc);
  } catch (err) {
    if (opts['subtensor.network'] !== 'local-sim' || !hasErrorCode(err, ERRORS.AML_ERR_WALLET_NOT_FOUND))
      throw err;
    log.warn('no wallet found: using the public development key (local-sim only)');
    return loadHotkeyFromEnv({ AML_HOTKEY_SEED: DEV_VALIDATOR_SEED })!;
  }
}

async function seedFor(
  opts: RunOptions,
  hotkey: Hotkey,
  netuid: number,
): Promise<LocalChainSeed | undefined> {
  const path = opts['localnet.seed'];
  if (!path) {
    // Trying it out: a subnet with only this validator; miners join by serving axons on it.
    return {
      startBlock: 1000,
      blockTimeMs: 12_000,
      subnets: [
        {
          netuid,
          neurons: [
            { hotkey: hotkey.ss58Address, coldkey: hotkey.ss58Address, stake: 1000, validatorPermit: true },
          ],
        },
      ],
    };
  }
  let seed: LocalChainSeed;
  try {
    seed = JSON.parse(await readFile(path, 'utf8')) as LocalChainSeed;
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [`--localnet.seed ${path}: ${(err as Error).message}`]);
  }
  return seed;
}

/** The store of the read-only commands, which must already exist (see openStore). */
const existingStore = async (opts: Opts) =>
  (await neuronModule()).openStore({
    storePath: String(opts['store.path']),
    storeUrl: opts['store.url'] as string | undefined,
    mustExist: true,
  });

/**
 * What to try when a cycle scored nobody: on the embedded local-sim chain the subnet starts with
 * this validator alone, so the first run-once finds no miner and the table is empty.
 */
export function noMinersHint(report: CycleReport, opts: RunOptions): string | undefined {
  if (report.miners > 0) return undefined;
  const local = opts['subtensor.network'] === 'local-sim';
  // the same default as the neuron's (neuron.ts openChain), so the miner joins this very chain
  const chainFile = resolve(
    opts['subtensor.local_chain_file'] ??
      process.env.AML_LOCAL_CHAIN_FILE ??
      join(dirname(resolve(opts['store.path'])), 'local-chain.json'),
  );
  return local
    ? `hint: no miner is serving an axon on netuid ${opts.netuid} of this local-sim chain yet. ` +
        'Run `npm run localnet` for a whole subnet on one machine, or start `aml-miner serve` and ' +
        `\`aml-miner-proxy --subtensor.network local-sim --netuid ${opts.netuid} --subtensor.local_chain_file ${chainFile}\`.`
    : `hint: no miner on netuid ${opts.netuid} answered; check the metagraph (served axons) and --neuron.timeout.`;
}

async function neuronFromOptions(opts: RunOptions) {
  const log = pino({ level: opts['logging.level'] });
  await cryptoReady();
  const hotkey = await hotkeyFor(opts, log);
  const { netuid } = opts;
  const network = opts['subtensor.network'];
  const { createNeuron } = await neuronModule();
  const neuron = await createNeuron({
    settings: {
      netuid,
      network: opts['batch.network'],
      windowDays: opts['batch.window_days'],
      trapsPerCycle: opts.traps,
      alpha: opts['weights.alpha'],
      inclusion: opts['traps.inclusion'],
      withheldShare: opts['traps.withheld'],
      stealthAudit: opts.stealthAudit,
      timeoutS: opts['neuron.timeout'],
      concurrency: opts['neuron.concurrency'],
      batchEncoding: opts['neuron.batch_encoding'],
      tauDays: opts['tier3.tau_days'],
      batchDate: opts['batch.date'],
    },
    hotkey,
    network,
    storePath: opts['store.path'],
    storeUrl: opts['store.url'],
    localChainFile: opts['subtensor.local_chain_file'],
    localChainSeed: network === 'local-sim' ? await seedFor(opts, hotkey, netuid) : undefined,
    batchDir: opts['batch.dir'],
    batchUrl: opts['batch.url'],
    labelsDir: opts['labels.dir'],
    generatedAlerts: opts['batch.alerts'],
    externalIp: opts['neuron.external_ip'],
    logger: log,
  });
  log.info(
    { hotkey: hotkey.ss58Address, netuid, network, chain: neuron.ctx.chain.endpoint },
    'validator ready',
  );
  return { neuron, log };
}

export function describeReport(report: CycleReport): string {
  const lines = [
    `cycle ${report.cycleId} on ${report.batchId}${report.resumed ? ' (resumed)' : ''}: ${report.miners} miner(s) scored`,
  ];
  const weights = report.weights;
  lines.push(
    weights.status === 'included'
      ? `weights set (${weights.kind}): ${weights.uids.map((u, i) => `uid ${u}=${weights.weights[i].toFixed(3)}`).join(', ')}`
      : `weights ${weights.status}: ${weights.reason}`,
  );
  return lines.join('\n');
}

export function buildValidatorProgram(
  write: (text: string) => void = (t) => process.stdout.write(t),
): Command {
  const program = new Command('aml-validator')
    .description(
      'AML subnet validator: queries miners, scores tiers 1-3, keeps the canonical ensemble and sets weights',
    )
    .configureOutput({ writeOut: write, writeErr: write })
    .enablePositionalOptions()
    .passThroughOptions();
  addDashboardServeOptions(declareOptions(program, LOOP_OPTIONS)).action(async (raw: Opts) => {
    const opts = LoopOptionsSchema.parse(raw);
    const { neuron, log } = await neuronFromOptions(opts);
    const { ValidatorMetrics } = await import('./metrics.js');
    const { runLoop } = await neuronModule();
    const metrics = new ValidatorMetrics();
    let server: ReturnType<typeof createServer> | undefined;
    if (opts['metrics.port'] !== undefined) {
      server = createServer(async (req, res) => {
        if (req.url !== '/metrics') return void res.writeHead(404).end();
        res
          .writeHead(200, { 'content-type': metrics.registry.contentType })
          .end(await metrics.registry.metrics());
      });
      const listening = server;
      // a port in use must fail start-up as one line (AML_ERR_CONFIG_PORT_IN_USE), not crash later
      await new Promise<void>((done, fail) => {
        listening.once('listening', done).once('error', fail);
        listening.listen(opts['metrics.port'], '127.0.0.1');
      }).catch(async (err: unknown) => {
        await neuron.close();
        throw err;
      });
    }
    const dashboard = await dashboardFromOptions(raw, neuron.ctx.store, log).catch(async (err: unknown) => {
      server?.close();
      await neuron.close();
      throw err;
    });
    const stop = new AbortController();
    const onSignal = () => {
      log.info('signal received: finishing the current step');
      stop.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    await runLoop(neuron, opts['cycle.interval_s'] * 1000, stop.signal, metrics, (r) =>
      write(`${describeReport(r)}\n`),
    );
    server?.close();
    await dashboard?.close();
    await neuron.close();
  });

  addRunOptions(
    program
      .command('run-once')
      .description('run one cycle (or finish an interrupted one) and print the tier table'),
  ).action(async (_: Opts, cmd: Command) => {
    const opts = RunOptionsSchema.parse(cmd.opts());
    const { neuron } = await neuronFromOptions(opts);
    const { runCycle } = await cycleModule();
    const { formatStatus, formatStatusHeader, statusRows } = await statusModule();
    try {
      const report = await runCycle(neuron.ctx);
      const status = await statusRows(neuron.ctx.store);
      write(`${describeReport(report)}\n${formatStatusHeader(status)}\n\n${formatStatus(status.rows)}\n`);
      const hint = noMinersHint(report, opts);
      if (hint) write(`${hint}\n`);
    } finally {
      await neuron.close();
    }
  });

  program
    .command('status')
    .description("print the latest cycle's miners: uid, hotkey, tiers, performance")
    .option('--store.path <file>', 'SQLite store', 'validator-data/validator.sqlite')
    .option('--store.url <url>', 'PostgreSQL store (postgres://user@host:port/db) instead of SQLite')
    .action(async (opts: Opts) => {
      const store = await existingStore(opts);
      const { formatStatus, formatStatusHeader, statusRows } = await statusModule();
      try {
        const status = await statusRows(store);
        if (status.cycleId === undefined) write('no cycle has run yet\n');
        else write(`${formatStatusHeader(status)}\n${formatStatus(status.rows)}\n`);
      } finally {
        await store.close();
      }
    });

  program
    .command('export')
    .description("write a batch's canonical ensemble scores")
    .option('--date <date>', 'batch date (YYYY-MM-DD; default: the newest stored batch)', dateFlag)
    .option('--batch.network <name>', 'SOT network', 'torus')
    .option('--batch.window_days <n>', 'window of the batch', integerFlag('--batch.window_days', 1), 7)
    .option('--format <format>', EXPORT_FORMATS.join(' | '), 'json')
    .option('--out <file>', 'output file (default: stdout for json)')
    .option('--store.path <file>', 'SQLite store', 'validator-data/validator.sqlite')
    .option('--store.url <url>', 'PostgreSQL store (postgres://user@host:port/db) instead of SQLite')
    .action(async (opts: Opts) => {
      const format = String(opts.format) as ExportFormat;
      if (!EXPORT_FORMATS.includes(format))
        throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
          `--format must be one of ${EXPORT_FORMATS.join(', ')}`,
        ]);
      const out = opts.out === undefined ? undefined : String(opts.out);
      // checked before the store is read, so the mistake is named first and nothing is half-written
      if (out !== undefined && !existsSync(dirname(resolve(out))))
        throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
          `--out ${out}: the folder ${dirname(resolve(out))} does not exist`,
        ]);
      if (out === undefined && format !== 'json')
        throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [`--out is required for --format ${format}`]);
      const network = String(opts['batch.network']);
      const store = await existingStore(opts);
      try {
        // Batches are stored under the date they were processed (today, for generated ones), so
        // a guessed --date rarely matches: default to the newest, and list the dates on a miss.
        const dates = await store.batchDates(network);
        const { batchIdOf } = await cycleModule();
        const batchId = batchIdOf({
          network,
          processing_date: opts.date === undefined ? (dates[0] ?? 'none') : String(opts.date),
          window_days: opts['batch.window_days'] as number,
        });
        const rows = await store.canonical(batchId);
        if (rows.length === 0)
          throw amlError(ERRORS.AML_ERR_STORE_NO_BATCH, [
            batchId,
            dates.length === 0
              ? `the store holds no ${network} batch (run the validator or run-once first)`
              : `${network} batches stored for: ${dates.slice(0, 10).join(', ')}${dates.length > 10 ? ', …' : ''}`,
          ]);
        const bytes = await encodeCanonical(batchId, rows, format);
        if (out !== undefined) {
          await writeFile(out, bytes);
          write(`wrote ${rows.length} canonical scores of ${batchId} to ${out}\n`);
        } else write(new TextDecoder().decode(bytes));
      } finally {
        await store.close();
      }
    });

  registerDashboardCommand(program, existingStore, write);

  addBatchSourceOptions(
    program
      .command('audit-traps')
      .description(
        "build a batch's traps as a cycle would and run the stealth audit on them (writes nothing)",
      ),
  )
    .option(
      '--traps <n>',
      'minimum traps (the cycle sends max(this, 2 % of the batch))',
      integerFlag('--traps', 1),
      50,
    )
    .option('--seed <n>', 'trap seed', integerFlag('--seed', 0), 1)
    .option('--folds <n>', 'cross-validation folds', integerFlag('--folds', 2), 5)
    .option('--store.path <file>', 'a validator store whose trap bank to draw from (read only)')
    .option('--store.url <url>', 'a PostgreSQL store instead of SQLite')
    .option('--json', 'print the audit as JSON')
    .action(async (opts: Opts) => {
      const withStore = opts['store.path'] !== undefined || opts['store.url'] !== undefined;
      const store = withStore ? await existingStore(opts) : undefined;
      const { auditBatchTraps, formatTrapAudit } = await import('./trap-audit.js');
      const { batchSourceFor } = await neuronModule();
      try {
        const report = await auditBatchTraps({
          batches: batchSourceFor({
            batchDir: opts['batch.dir'] as string | undefined,
            batchUrl: opts['batch.url'] as string | undefined,
            generatedAlerts: opts['batch.alerts'] as number,
            storePath: String(opts['store.path'] ?? 'validator-data/validator.sqlite'),
          }),
          key: {
            network: String(opts['batch.network']),
            processing_date:
              (opts['batch.date'] as string | undefined) ?? new Date().toISOString().slice(0, 10),
            window_days: opts['batch.window_days'] as number,
          },
          store,
          traps: opts.traps as number,
          seed: opts.seed as number,
          folds: opts.folds as number,
        });
        write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTrapAudit(report)}\n`);
      } finally {
        await store?.close();
      }
    });
  return program;
}
