/**
 * The `aml-miner-proxy` command line: `aml-miner-proxy [run options]` starts the axon proxy in front
 * of a miner API; `aml-miner-proxy wallet create` writes a new Bittensor-layout hotkey. Flag names
 * follow Bittensor's (`--wallet.name`, `--axon.port`, ...). The chain is reached through an injected
 * registry factory, so this module does not depend on the chain client.
 */
import { httpUrlFlag, integerFlag, numberFlag, portFlag } from '@aml/miner-template/cli';
import { BATCH_ARROW_CODECS, type BatchArrowCodec } from '@aml/miner-template/data';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { networkFlag } from '../cli/flags.js';
import { amlError, ERRORS } from '../errors.js';
import { cryptoReady } from '../protocol/signing.js';
import {
  createHotkeyFile,
  DEFAULT_WALLET_PATH,
  type Hotkey,
  hotkeyFilePath,
  loadHotkey,
} from '../wallet/hotkey.js';
import { AxonProxy } from './axon-server.js';
import { type MinerChainLink, type NeuronRegistry, StaticNeuronRegistry } from './neuron-registry.js';

export interface MinerProxyDeps {
  /** Connects to `--subtensor.network`; absent in builds without the chain client. */
  createRegistry?: (
    network: string,
    netuid: number,
    hotkey: Hotkey,
    opts: Record<string, unknown>,
  ) => Promise<MinerChainLink>;
  /** Where help and messages go (tests capture them). */
  write?: (text: string) => void;
}

export function buildMinerProxyProgram(deps: MinerProxyDeps = {}): Command {
  const write = deps.write ?? ((t: string) => process.stdout.write(t));
  const program = new Command('aml-miner-proxy')
    .description(
      'Bittensor axon proxy for an AML miner API: verifies, rate-limits and forwards AmlScoringSynapse requests',
    )
    .configureOutput({ writeOut: write, writeErr: write })
    .enablePositionalOptions()
    .option('--netuid <n>', 'subnet uid', integerFlag('--netuid', 0))
    .option('--wallet.name <name>', 'wallet name', 'default')
    .option('--wallet.hotkey <name>', 'hotkey name', 'default')
    .option('--wallet.path <dir>', 'wallets directory', DEFAULT_WALLET_PATH)
    .option('--miner.api_url <url>', 'miner API base URL', httpUrlFlag, 'http://localhost:8000')
    .option('--axon.ip <ip>', 'address to bind', '0.0.0.0')
    .option('--axon.port <port>', 'port to bind', portFlag('--axon.port'), 8091)
    .option('--axon.external_ip <ip>', 'IP advertised to callers (behind NAT)')
    .option(
      '--axon.external_port <port>',
      'port advertised to callers (behind NAT)',
      portFlag('--axon.external_port'),
    )
    .option('--axon.max_body_mb <mb>', 'largest request body accepted', numberFlag('--axon.max_body_mb'), 256)
    .option(
      '--axon.batch_codecs <list>',
      'batch_arrow codecs the proxy may advertise to validators, of those the miner API lists in GET /version (gzip alone if it lists none)',
      batchCodecsFlag,
      [...BATCH_ARROW_CODECS],
    )
    .option(
      '--axon.max_concurrent <n>',
      'requests forwarded to the miner API at once',
      integerFlag('--axon.max_concurrent', 0),
      4,
    )
    .option(
      '--axon.max_queued <n>',
      'requests waiting beyond that before 503',
      integerFlag('--axon.max_queued', 0),
      64,
    )
    .option(
      '--axon.max_buffered_mb <mb>',
      'request bodies held in memory at once before 503',
      numberFlag('--axon.max_buffered_mb'),
      1024,
    )
    .option(
      '--subtensor.network <network>',
      'finney | test | local | ws(s)://url | local-sim (unset: allow-list only)',
      networkFlag,
    )
    .option(
      '--subtensor.local_chain_file <file>',
      'local-sim chain state file (default: $AML_LOCAL_CHAIN_FILE)',
    )
    .option('--blacklist.min_stake <tao>', 'minimum caller stake', numberFlag('--blacklist.min_stake'), 0)
    .option('--blacklist.allowed_hotkeys <list>', 'comma-separated hotkeys always let in', '')
    .option('--logging.level <level>', 'trace | debug | info | warn | error', 'info')
    .action(async (opts: Record<string, unknown>) => {
      await runProxy(opts, deps);
    });

  const wallet = program.command('wallet').description('manage hotkeys in the Bittensor wallet layout');
  wallet
    .command('create')
    .description('generate a new unencrypted sr25519 hotkey, written with mode 0600')
    .option('--wallet.name <name>', 'wallet name', 'default')
    .option('--wallet.hotkey <name>', 'hotkey name', 'default')
    .option('--wallet.path <dir>', 'wallets directory', DEFAULT_WALLET_PATH)
    .option('--overwrite', 'replace an existing hotkey file', false)
    .action(async (opts: Record<string, unknown>) => {
      await cryptoReady();
      const loc = walletOf(opts);
      const created = await createHotkeyFile(loc, { overwrite: opts.overwrite === true });
      write(`hotkey written to ${hotkeyFilePath(loc)}\nss58Address: ${created.ss58Address}\n`);
      write(`mnemonic (store it offline, it is the key): ${created.mnemonic}\n`);
    });
  return program;
}

function walletOf(opts: Record<string, unknown>) {
  return {
    name: String(opts['wallet.name']),
    hotkey: String(opts['wallet.hotkey']),
    path: String(opts['wallet.path']),
  };
}

async function runProxy(opts: Record<string, unknown>, deps: MinerProxyDeps): Promise<void> {
  const log = pino({ level: String(opts['logging.level']) });
  await cryptoReady();
  const allowed = new Set(
    String(opts['blacklist.allowed_hotkeys'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const network = opts['subtensor.network'] as string | undefined;
  if (network) {
    // Configuration errors first: they need no wallet.
    if (!deps.createRegistry) {
      throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
        '--subtensor.network needs the chain client, which this build does not wire in; leave it unset and use --blacklist.allowed_hotkeys',
      ]);
    }
    if (opts.netuid === undefined)
      throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, ['--netuid is required with --subtensor.network']);
  }
  const hotkey = await loadHotkey(walletOf(opts));
  let registry: NeuronRegistry;
  let link: MinerChainLink | undefined;
  if (network && deps.createRegistry) {
    link = await deps.createRegistry(network, opts.netuid as number, hotkey, opts);
    registry = link.registry;
  } else {
    registry = new StaticNeuronRegistry();
    if (allowed.size === 0)
      log.warn(
        'no --subtensor.network and no --blacklist.allowed_hotkeys: every caller will be refused (403)',
      );
  }
  const proxy = new AxonProxy({
    hotkey: hotkey.signer,
    minerApiUrl: String(opts['miner.api_url']),
    registry,
    blacklist: { minStake: opts['blacklist.min_stake'] as number, allowedHotkeys: allowed },
    host: String(opts['axon.ip']),
    port: opts['axon.port'] as number,
    externalIp: (opts['axon.external_ip'] as string | undefined) || undefined,
    externalPort: opts['axon.external_port'] as number | undefined,
    maxBodyBytes: Math.round((opts['axon.max_body_mb'] as number) * 1024 * 1024),
    batchCodecs: opts['axon.batch_codecs'] as BatchArrowCodec[],
    maxBufferedBytes: Math.round((opts['axon.max_buffered_mb'] as number) * 1024 * 1024),
    maxConcurrent: opts['axon.max_concurrent'] as number,
    maxQueued: opts['axon.max_queued'] as number,
    logger: log,
  });
  const addr = await proxy.listen();
  log.info(
    {
      ...addr,
      hotkey: hotkey.ss58Address,
      source: hotkey.source,
      netuid: opts.netuid,
      api: opts['miner.api_url'],
    },
    'axon proxy listening',
  );
  await link?.afterListen?.({
    ip:
      (opts['axon.external_ip'] as string | undefined) || (addr.host === '0.0.0.0' ? '127.0.0.1' : addr.host),
    port: (opts['axon.external_port'] as number | undefined) || addr.port,
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      log.info('shutting down');
      proxy
        .close()
        .then(() => link?.close?.())
        .then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** --axon.batch_codecs: a comma-separated list of known codecs that includes gzip, the default. */
function batchCodecsFlag(value: string): BatchArrowCodec[] {
  const codecs = value
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const unknown = codecs.filter((c) => !(BATCH_ARROW_CODECS as readonly string[]).includes(c));
  if (unknown.length > 0)
    throw new InvalidArgumentError(
      `unknown codec ${unknown.join(', ')}; known: ${BATCH_ARROW_CODECS.join(', ')}`,
    );
  if (!codecs.includes('gzip'))
    throw new InvalidArgumentError('gzip must be in the list: it is the default codec');
  return codecs as BatchArrowCodec[];
}
