/**
 * The subnet's two bins as child processes, for the mistakes a new user makes (issue 14): each is
 * one line `error [CODE]: message` on stderr with exit 2 for usage (1 when something failed while
 * running), found before slow start-up, and never a stack trace. docs/errors.md states the rule.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const DEV_SEED = '0x6161616161616161616161616161616161616161616161616161616161616161';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  bin: 'validator' | 'miner-proxy',
  args: string[],
  options: { env?: Record<string, string>; closeStdout?: boolean } = {},
): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${bin}.ts`, ...args], {
    // every path a case writes is explicit and under `dir`, so the package folder stays clean
    cwd: PACKAGE_DIR,
    env: { ...process.env, NODE_OPTIONS: '', AML_DEBUG: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  // a reader that goes away at once, like `| head` that has seen enough
  if (options.closeStdout) child.stdout.destroy();
  else child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The run failed with exactly this one line and exit code. */
function failsWith(r: Run, code: number, line: string): void {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: `${line}\n` });
}

let dir: string;
let busy: Server;
let busyPort: number;
let version: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aml-cli-errors-'));
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
  version = JSON.parse(await readFile(join(PACKAGE_DIR, 'package.json'), 'utf8')).version;
});
afterAll(async () => {
  busy.close();
  await rm(dir, { recursive: true, force: true });
});

describe('aml-validator: one-line errors', () => {
  it('prints its version', async () => {
    const r = await run('validator', ['--version']);
    expect(r).toEqual({ code: 0, stdout: `aml-validator ${version}\n`, stderr: '' });
  });

  it('suggests run-once for runonce', async () => {
    failsWith(
      await run('validator', ['runonce']),
      2,
      "error [AML_ERR_CLI_USAGE]: unknown command 'runonce' (did you mean run-once?); see aml-validator --help",
    );
  });

  it('names a mistyped network before looking for the wallet, and refuses --traps 0 at parse time', {
    timeout: 120_000,
  }, async () => {
    const wallets = join(dir, 'no-wallets');
    failsWith(
      await run('validator', ['--subtensor.network', 'mainnet', '--wallet.path', wallets]),
      2,
      "error [AML_ERR_CHAIN_NETWORK_UNKNOWN]: unknown subtensor network 'mainnet': expected finney | test | local | local-sim | ws(s)://host:port",
    );
    failsWith(
      await run('validator', ['run-once', '--traps', '0', '--store.path', join(dir, 'never.sqlite')]),
      2,
      `error [AML_ERR_CLI_USAGE]: option '--traps <n>' argument '0' is invalid. --traps must be an integer >= 1, got "0"; see aml-validator run-once --help`,
    );
  });

  it('refuses a missing or garbage SQLite store and an unreachable PostgreSQL one', {
    timeout: 120_000,
  }, async () => {
    const missing = join(dir, 'typo.sqlite');
    failsWith(
      await run('validator', ['status', '--store.path', missing]),
      2,
      `error [AML_ERR_STORE_NOT_FOUND]: no validator store at ${missing}: check --store.path (or pass --store.url); a store is created by the validator or run-once`,
    );
    const garbage = join(dir, 'garbage.sqlite');
    await writeFile(
      garbage,
      'this is not a database, just some text long enough to have a header\n'.repeat(20),
    );
    failsWith(
      await run('validator', ['status', '--store.path', garbage]),
      2,
      `error [AML_ERR_STORE_FORMAT]: cannot open ${garbage} as a validator store: file is not a database (SQLITE_NOTADB)`,
    );
    // port 1 on 127.0.0.1 refuses at once; the password must not be echoed
    failsWith(
      await run('validator', ['status', '--store.url', 'postgres://aml:secret@127.0.0.1:1/aml']),
      1,
      'error [AML_ERR_STORE_UNREACHABLE]: cannot open the PostgreSQL store at postgres://aml:***@127.0.0.1:1/aml: connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('run-once explains an empty subnet; export lists the stored dates, checks --out and tolerates a closed pipe', async () => {
    const store = join(dir, 'v', 'validator.sqlite');
    const once = await run('validator', [
      'run-once',
      '--batch.alerts',
      '100',
      '--store.path',
      store,
      '--logging.level',
      'error',
    ]);
    expect(once.code, once.stderr).toBe(0);
    const chainFile = join(dir, 'v', 'local-chain.json');
    expect(once.stdout).toContain('0 miner(s) scored');
    expect(once.stdout.trimEnd().split('\n').at(-1)).toBe(
      'hint: no miner is serving an axon on netuid 42 of this local-sim chain yet. Run `npm run localnet` for a whole subnet on one machine, ' +
        `or start \`aml-miner serve\` and \`aml-miner-proxy --subtensor.network local-sim --netuid 42 --subtensor.local_chain_file ${chainFile}\`.`,
    );
    const today = new Date().toISOString().slice(0, 10);
    failsWith(
      await run('validator', ['export', '--date', '2026-01-01', '--store.path', store]),
      2,
      `error [AML_ERR_STORE_NO_BATCH]: no canonical scores stored for torus/2026-01-01/7; torus batches stored for: ${today}`,
    );
    const out = join(dir, 'no-such-folder', 'canonical.parquet');
    failsWith(
      await run('validator', ['export', '--format', 'parquet', '--out', out, '--store.path', store]),
      2,
      `error [AML_ERR_CONFIG_INVALID]: invalid configuration: --out ${out}: the folder ${join(dir, 'no-such-folder')} does not exist`,
    );
    // without --date: the newest batch
    const json = await run('validator', ['export', '--store.path', store]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)[0].batch_id).toBe(`torus/${today}/7`);
    const piped = await run('validator', ['export', '--store.path', store], { closeStdout: true });
    expect({ code: piped.code, stderr: piped.stderr }).toEqual({ code: 0, stderr: '' });
    // the metrics port is taken: one line, after which nothing is left running
    failsWith(
      await run('validator', [
        '--metrics.port',
        String(busyPort),
        '--store.path',
        store,
        '--logging.level',
        'error',
      ]),
      2,
      `error [AML_ERR_CONFIG_PORT_IN_USE]: address 127.0.0.1:${busyPort} is already in use (another process listens there: stop it or choose another port)`,
    );
    // the dashboard: an existing store only, its port checked at start-up, a literal host
    failsWith(
      await run('validator', ['dashboard', '--store.path', join(dir, 'typo.sqlite')]),
      2,
      `error [AML_ERR_STORE_NOT_FOUND]: no validator store at ${join(dir, 'typo.sqlite')}: check --store.path (or pass --store.url); a store is created by the validator or run-once`,
    );
    failsWith(
      await run('validator', ['dashboard', '--store.path', store, '--dashboard.port', String(busyPort)]),
      2,
      `error [AML_ERR_CONFIG_PORT_IN_USE]: address 127.0.0.1:${busyPort} is already in use (another process listens there: stop it or choose another port)`,
    );
    failsWith(
      await run('validator', ['dashboard', '--store.path', store, '--dashboard.host', 'example.com']),
      2,
      "error [AML_ERR_CLI_USAGE]: option '--dashboard.host <ip>' argument 'example.com' is invalid. --dashboard.host must be an IP address or localhost, got \"example.com\"; see aml-validator dashboard --help",
    );
  }, 240_000); // nine processes in a row, each starting under tsx on a shared machine
});

describe('aml-miner-proxy: one-line errors', () => {
  it('prints its version', async () => {
    const r = await run('miner-proxy', ['--version']);
    expect(r).toEqual({ code: 0, stdout: `aml-miner-proxy ${version}\n`, stderr: '' });
  });

  it('refuses a port out of range, unknown batch codecs, a URL without a scheme and an unknown network before the wallet', {
    timeout: 120_000,
  }, async () => {
    const wallets = ['--wallet.path', join(dir, 'no-wallets')];
    failsWith(
      await run('miner-proxy', ['--axon.port', '70000', ...wallets]),
      2,
      `error [AML_ERR_CLI_USAGE]: option '--axon.port <port>' argument '70000' is invalid. --axon.port must be a port number 0-65535, got "70000"; see aml-miner-proxy --help`,
    );
    failsWith(
      await run('miner-proxy', ['--axon.batch_codecs', 'br,zstd', ...wallets]),
      2,
      `error [AML_ERR_CLI_USAGE]: option '--axon.batch_codecs <list>' argument 'br,zstd' is invalid. unknown codec zstd; known: gzip, br; see aml-miner-proxy --help`,
    );
    failsWith(
      await run('miner-proxy', ['--axon.batch_codecs', 'br', ...wallets]),
      2,
      `error [AML_ERR_CLI_USAGE]: option '--axon.batch_codecs <list>' argument 'br' is invalid. gzip must be in the list: it is the default codec; see aml-miner-proxy --help`,
    );
    failsWith(
      await run('miner-proxy', ['--miner.api_url', 'localhost:8000', ...wallets]),
      2,
      `error [AML_ERR_CLI_USAGE]: option '--miner.api_url <url>' argument 'localhost:8000' is invalid. expected an http:// or https:// URL, got "localhost:8000" (did you mean http://localhost:8000?); see aml-miner-proxy --help`,
    );
    failsWith(
      await run('miner-proxy', ['--subtensor.network', 'mainnet', '--netuid', '1', ...wallets]),
      2,
      "error [AML_ERR_CHAIN_NETWORK_UNKNOWN]: unknown subtensor network 'mainnet': expected finney | test | local | local-sim | ws(s)://host:port",
    );
    failsWith(
      await run('miner-proxy', ['--axon.portt', '1']),
      2,
      "error [AML_ERR_CLI_USAGE]: unknown option '--axon.portt' (did you mean --axon.port?); see aml-miner-proxy --help",
    );
  });

  it('names a port in use', async () => {
    failsWith(
      await run(
        'miner-proxy',
        ['--axon.ip', '127.0.0.1', '--axon.port', String(busyPort), '--blacklist.allowed_hotkeys', 'x'],
        { env: { AML_HOTKEY_SEED: DEV_SEED } },
      ),
      2,
      `error [AML_ERR_CONFIG_PORT_IN_USE]: address 127.0.0.1:${busyPort} is already in use (another process listens there: stop it or choose another port)`,
    );
  });
});
