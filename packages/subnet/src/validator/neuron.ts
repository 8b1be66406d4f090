/**
 * The validator neuron: wires a wallet, a chain client, the dendrite, a batch source and the store
 * into a cycle context, and runs cycles on a schedule (the base-neuron loop of the Bittensor subnet
 * template, with the AML logic kept in cycle/). Shutdown waits for the current step to commit.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ChainClient } from '../chain/chain-client.js';
import type { ConnectionEvent } from '../chain/connect.js';
import { LocalChain } from '../chain/local-chain.js';
import type { LocalChainSeed } from '../chain/local-chain-seed.js';
import { openChainClient } from '../chain/open-chain-client.js';
import { Dendrite } from '../dendrite/dendrite.js';
import { amlError, ERRORS } from '../errors.js';
import type { Hotkey } from '../wallet/hotkey.js';
import { type BatchSource, FolderBatchSource, GeneratedBatchSource, UrlBatchSource } from './batch-source.js';
import { storedCodecMemory } from './codec-memory.js';
import type { CycleContext, CycleSettings, StepHook } from './cycle/context.js';
import { type CycleReport, runCycle } from './cycle/run-cycle.js';
import type { ValidatorMetrics } from './metrics.js';
import type { ValidatorStore } from './store/types.js';
import { pausingStore, trapSeedFromEnv } from './test-hooks.js';

export interface NeuronOptions {
  settings: CycleSettings;
  hotkey: Hotkey;
  network: string;
  storePath: string;
  /** postgres://... selects the PostgreSQL store instead of the SQLite file at storePath. */
  storeUrl?: string;
  localChainFile?: string;
  localChainSeed?: LocalChainSeed;
  batchDir?: string;
  batchUrl?: string;
  labelsDir?: string;
  generatedAlerts: number;
  externalIp?: string;
  logger: Logger;
}

export interface Neuron {
  ctx: CycleContext;
  close(): Promise<void>;
}

/** How long the validator rides out an unavailable LocalChain state file. */
const LOCAL_CHAIN_RETRY_MS = 60_000;

export function batchSourceFor(
  options: Pick<NeuronOptions, 'batchDir' | 'batchUrl' | 'labelsDir' | 'generatedAlerts' | 'storePath'>,
): BatchSource {
  if (options.batchDir) return new FolderBatchSource(options.batchDir, options.labelsDir ?? options.batchDir);
  if (options.batchUrl)
    return new UrlBatchSource(options.batchUrl, join(dirname(resolve(options.storePath)), 'batches'));
  return new GeneratedBatchSource(options.generatedAlerts);
}

async function openChain(options: NeuronOptions): Promise<ChainClient> {
  // Connection drops and reconnections (websocket, or LocalChain's state file) go to the log.
  const onEvent = (event: ConnectionEvent) =>
    options.logger[event.type === 'reconnected' ? 'info' : 'warn']({ event }, `chain ${event.type}`);
  if (options.network === 'local-sim') {
    const file = resolve(
      options.localChainFile ??
        process.env.AML_LOCAL_CHAIN_FILE ??
        join(dirname(resolve(options.storePath)), 'local-chain.json'),
    );
    if (!existsSync(file)) {
      if (!options.localChainSeed) {
        throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
          `local-sim: no chain state at ${file}; pass --localnet.seed with the subnet's neurons, or point --subtensor.local_chain_file at an existing state`,
        ]);
      }
      const chain = await LocalChain.createFile(file, options.localChainSeed, {
        hotkey: options.hotkey.pair,
        unavailableTimeoutMs: LOCAL_CHAIN_RETRY_MS,
        onEvent,
      });
      await chain.connect();
      return chain;
    }
    return openChainClient({
      network: 'local-sim',
      hotkey: options.hotkey.pair,
      localChainFile: file,
      connectTimeoutMs: LOCAL_CHAIN_RETRY_MS,
      onEvent,
    });
  }
  return openChainClient({
    network: options.network,
    hotkey: options.hotkey.pair,
    txTimeoutMs: options.settings.txTimeoutMs,
    onEvent,
  });
}

/** A postgres:// URL with its password masked, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * The store the options name: PostgreSQL when a URL is given, else the SQLite file. `mustExist`
 * is for the commands that only read (status, export): a mistyped --store.path must be named,
 * not answered from a new, empty store. Failures to open become one-line errors with a code.
 */
export async function openStore(options: {
  storePath: string;
  storeUrl?: string;
  mustExist?: boolean;
}): Promise<ValidatorStore> {
  if (options.storeUrl) {
    if (!/^postgres(ql)?:\/\//.test(options.storeUrl))
      throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
        `--store.url must be a postgres:// URL, got "${options.storeUrl}"`,
      ]);
    // each driver is loaded when its store is opened: a SQLite validator never loads pg
    const { PostgresStore } = await import('./store/postgres-store.js');
    try {
      return await PostgresStore.open(options.storeUrl);
    } catch (err) {
      throw amlError(
        ERRORS.AML_ERR_STORE_UNREACHABLE,
        [redact(options.storeUrl), describe(err)],
        undefined,
        err,
      );
    }
  }
  const path = resolve(options.storePath);
  if (options.mustExist && !existsSync(path))
    throw amlError(ERRORS.AML_ERR_STORE_NOT_FOUND, [
      path,
      'check --store.path (or pass --store.url); a store is created by the validator or run-once',
    ]);
  const { SqliteStore } = await import('./store/sqlite-store.js');
  try {
    return new SqliteStore(options.storePath);
  } catch (err) {
    // better-sqlite3 says SQLITE_NOTADB / SQLITE_CORRUPT for a file that is not a database; a
    // folder or an unwritable path fails the same way: either way this path is no store we can use
    throw amlError(ERRORS.AML_ERR_STORE_FORMAT, [path, describe(err)], undefined, err);
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; errors?: { message?: string }[] };
  // pg reports a refused connection to every resolved address as an AggregateError with no message
  const message = e?.message || e?.errors?.map((x) => x.message).join('; ') || String(err);
  return e?.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}

/**
 * TEST HOOK (crash tests only): AML_VALIDATOR_CRASH_AFTER=<step> kills this process with SIGKILL
 * right after that step of the cycle has committed, to prove a restart resumes without loss or
 * repetition. Unset in normal operation, where it does nothing.
 */
export function crashHookFromEnv(env: NodeJS.ProcessEnv = process.env): StepHook | undefined {
  const target = env.AML_VALIDATOR_CRASH_AFTER;
  if (!target) return undefined;
  return (step) => {
    if (step === target) process.kill(process.pid, 'SIGKILL');
  };
}

export async function createNeuron(options: NeuronOptions): Promise<Neuron> {
  const store = await openStore(options);
  const chain = await openChain(options);
  const dendrite = new Dendrite({
    signer: options.hotkey.signer,
    externalIp: options.externalIp,
    codecs: await storedCodecMemory(store, options.logger),
  });
  const ctx: CycleContext = {
    store: pausingStore(store),
    chain,
    dendrite,
    batches: batchSourceFor(options),
    settings: options.settings,
    logger: options.logger,
    afterStep: crashHookFromEnv(),
    randomSeed: trapSeedFromEnv(),
  };
  return {
    ctx,
    async close() {
      await dendrite.close();
      await chain.close();
      await store.close();
    },
  };
}

/** Runs cycles until `signal` aborts; a cycle in progress finishes its current step first. */
export async function runLoop(
  neuron: Neuron,
  intervalMs: number,
  signal: AbortSignal,
  metrics?: ValidatorMetrics,
  onReport?: (report: CycleReport) => void,
): Promise<void> {
  const { logger } = neuron.ctx;
  while (!signal.aborted) {
    const started = Date.now();
    try {
      const report = await runCycle({
        ...neuron.ctx,
        afterStep: async (step, cycleId) => {
          await neuron.ctx.afterStep?.(step, cycleId);
          if (signal.aborted) throw new ShutdownRequested();
        },
      });
      metrics?.observe(report, (Date.now() - started) / 1000);
      onReport?.(report);
    } catch (err) {
      if (err instanceof ShutdownRequested) break;
      logger.error({ err }, 'cycle failed; retrying at the next interval');
    }
    const wait = Math.max(0, intervalMs - (Date.now() - started));
    await new Promise<void>((done) => {
      const timer = setTimeout(done, wait);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          done();
        },
        { once: true },
      );
    });
  }
  logger.info('validator stopped after a committed step');
}

class ShutdownRequested extends Error {
  constructor() {
    super('shutdown requested');
  }
}
