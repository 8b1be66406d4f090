#!/usr/bin/env node
/**
 * `npm run localnet`: the whole subnet on 127.0.0.1 in one command. It starts three miner APIs —
 * the shipped models, a second model trained here on other data, and a deliberately weak one —
 * each behind its own axon proxy, and a validator on a LocalChain state file that all of them
 * share; runs one full validator cycle; prints the tier table, the ensemble and the weights set;
 * then shuts everything down. Exit code 0 when the cycle completed and weights were set.
 * With AML_CHAIN_SPEC set, the chain is a real subtensor runtime under chopsticks (netuid 1)
 * instead of the LocalChain file; see localnet-chopsticks.mjs and docs/chain.md.
 *
 *   node scripts/localnet.mjs [--alerts 600] [--keep]     (needs `npm run build` first)
 *   AML_CHAIN_SPEC=raonet.json [AML_CHOPSTICKS_CMD=...] node scripts/localnet.mjs
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CHOPSTICKS_NETUID,
  prepareChain,
  startChopsticks,
  waitForAxons,
  walletPair,
} from './localnet-chopsticks.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MINER = join(root, 'packages/miner-template/dist/cli/main.js');
const PROXY = join(root, 'packages/subnet/dist/cli/miner-proxy.js');
const VALIDATOR = join(root, 'packages/subnet/dist/cli/validator.js');
const CHAIN_SPEC = process.env.AML_CHAIN_SPEC?.trim() || undefined;
const NETUID = CHAIN_SPEC ? CHOPSTICKS_NETUID : 42;
// The runtime refuses 127.0.0.1 as an axon IP (InvalidIpAddress); 127.0.0.2 is loopback too.
const AXON_IP = CHAIN_SPEC ? '127.0.0.2' : '127.0.0.1';

const { values } = parseArgs({
  options: { alerts: { type: 'string', default: '600' }, keep: { type: 'boolean', default: false } },
});
const work = mkdtempSync(join(tmpdir(), 'aml-localnet-'));
const children = [];
const log = (line) => process.stdout.write(`[localnet] ${line}\n`);

function run(args, what) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: work });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
  return r.stdout;
}

function start(name, args, env = {}) {
  // the miner's node flag as its bin shim sets it: scoring workers collect garbage after big steps
  const flags = args[0] === MINER ? ['--expose-gc'] : [];
  const child = spawn(process.execPath, [...flags, ...args], {
    cwd: work,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  child.on('exit', (code, signal) => {
    if (!shuttingDown && code !== 0) log(`${name} exited early (${code ?? signal}):\n${output.slice(-2000)}`);
  });
  children.push({ name, child, output: () => output });
  return child;
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Until `url` answers; gives up early, returning false, once `child` (when given) has exited. */
async function waitFor(url, timeoutMs = 60_000, child = undefined) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) return false;
    try {
      const res = await fetch(url);
      if (res.status < 500) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

let shuttingDown = false;
let chopsticks;
async function shutdown() {
  shuttingDown = true;
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', done);
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  await chopsticks?.stop();
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}

async function main() {
  log(`working in ${work}`);
  // 1. Models: shipped (A), another trained here on other days (B), a deliberately weak one (C).
  run(
    [
      MINER,
      'generate',
      '--date',
      '2026-03-01',
      '--alerts',
      '1500',
      '--seed',
      '31',
      '--out',
      'data',
      '--quiet',
    ],
    'generate',
  );
  run(
    [
      MINER,
      'generate',
      '--date',
      '2026-03-02',
      '--alerts',
      '1500',
      '--seed',
      '32',
      '--out',
      'data',
      '--quiet',
    ],
    'generate',
  );
  run(
    [
      MINER,
      'train',
      'scorer',
      '--data-dir',
      'data',
      '--output-dir',
      'models-b',
      '--model-version',
      '1.1.0',
      '--seed',
      '5',
      '--quiet',
    ],
    'train model B',
  );
  run(
    [
      MINER,
      'train',
      'scorer',
      '--data-dir',
      'data',
      '--output-dir',
      'models-c',
      '--model-version',
      '0.1.0',
      '--quiet',
      '--start-date',
      '2026-03-01',
      '--end-date',
      '2026-03-01',
      '--param',
      'num_iterations=2',
      '--param',
      'num_leaves=2',
      '--param',
      'min_data_in_leaf=400',
      '--param',
      'feature_fraction=0.05',
    ],
    'train weak model C',
  );
  log('models: A = shipped trained_models/, B = trained on 2026-03-01..02, C = deliberately weak (2 stumps)');

  // 2. Wallets: one hotkey per neuron, in the Bittensor layout.
  const names = ['validator', 'miner-a', 'miner-b', 'miner-c'];
  const hotkeys = {};
  for (const name of names) {
    const out = run(
      [
        PROXY,
        'wallet',
        'create',
        '--wallet.path',
        'wallets',
        '--wallet.name',
        name,
        '--wallet.hotkey',
        'default',
      ],
      'wallet create',
    );
    hotkeys[name] = /ss58Address: (\S+)/.exec(out)[1];
  }

  // 3. The chain: the validator (permit, stake) and three registered miners, on chopsticks or on
  // a LocalChain file. `chainArgs` are the chain options every process gets.
  const chainArgs = CHAIN_SPEC ? await chopsticksChain(names) : localChain(names, hotkeys);

  // 4. Miner APIs and axon proxies; each proxy serves its axon on the chain at start.
  const miners = [
    { name: 'miner-a', models: join(root, 'trained_models') },
    { name: 'miner-b', models: join(work, 'models-b') },
    { name: 'miner-c', models: join(work, 'models-c') },
  ];
  for (const m of miners) m.apiPort = await freePort();
  for (const m of miners) {
    start(`${m.name} api`, [
      MINER,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(m.apiPort),
      '--models-dir',
      m.models,
      '--log-level',
      'warn',
    ]);
  }
  for (const m of miners) await waitFor(`http://127.0.0.1:${m.apiPort}/version`);
  // A free port can be taken by another process before the proxy binds it (test suites run side by
  // side): each proxy gets its port just before it starts, and a new one if it exits at start.
  const startProxy = (m) =>
    start(`${m.name} proxy`, [
      PROXY,
      '--netuid',
      String(NETUID),
      '--wallet.path',
      'wallets',
      '--wallet.name',
      m.name,
      '--wallet.hotkey',
      'default',
      '--miner.api_url',
      `http://127.0.0.1:${m.apiPort}`,
      '--axon.ip',
      AXON_IP,
      '--axon.external_ip',
      AXON_IP,
      '--axon.port',
      String(m.axonPort),
      ...chainArgs,
      '--logging.level',
      'warn',
    ]);
  for (const m of miners) {
    for (let attempt = 1; ; attempt++) {
      m.axonPort = await freePort();
      const proxy = startProxy(m);
      // whoever answered, the proxy must still be running: it exits at once when the port is taken
      const up = await waitFor(`http://${AXON_IP}:${m.axonPort}/healthz`, 60_000, proxy);
      await new Promise((r) => setTimeout(r, 300));
      if (up && proxy.exitCode === null && proxy.signalCode === null) break;
      if (attempt === 3) throw new Error(`${m.name} proxy did not stay up on three ports`);
    }
  }
  // the proxies serve their axons on the chain right after they listen
  if (CHAIN_SPEC)
    await waitForAxons(chopsticks.url, Object.fromEntries(miners.map((m) => [hotkeys[m.name], m.axonPort])));
  else await new Promise((r) => setTimeout(r, 1000));
  log(`3 miner APIs and 3 axon proxies up (axons ${miners.map((m) => m.axonPort).join(', ')})`);

  // 5. One full validator cycle against them.
  const today = new Date().toISOString().slice(0, 10);
  const out = run(
    [
      VALIDATOR,
      'run-once',
      '--netuid',
      String(NETUID),
      ...chainArgs,
      '--store.path',
      'validator/validator.sqlite',
      '--batch.alerts',
      values.alerts,
      '--batch.date',
      today,
      '--traps',
      '50',
      '--tier3.tau_days',
      '0',
      '--neuron.timeout',
      '60',
      '--wallet.path',
      'wallets',
      '--wallet.name',
      'validator',
      '--logging.level',
      'warn',
    ],
    'validator cycle',
  );
  const legend = miners.map((m) => `${m.name}=${hotkeys[m.name]}`).join('\n  ');
  process.stdout.write(`\n${out}\nminers:\n  ${legend}\n`);
  if (!/weights set/.test(out)) throw new Error('the validator did not set weights');
}

/** Subnet 42 in a LocalChain state file shared by every process; returns their chain options. */
function localChain(names, hotkeys) {
  const chainFile = join(work, 'chain.json');
  writeFileSync(
    join(work, 'seed.json'),
    JSON.stringify({
      startBlock: 1000,
      blockTimeMs: 12000,
      subnets: [
        {
          netuid: NETUID,
          hyperparameters: { weightsSetRateLimit: 100, minAllowedWeights: 1 },
          neurons: names.map((name) => ({
            hotkey: hotkeys[name],
            coldkey: hotkeys[name],
            stake: name === 'validator' ? 1000 : 10,
            validatorPermit: name === 'validator',
          })),
        },
      ],
    }),
  );
  const chainArgs = ['--subtensor.network', 'local-sim', '--subtensor.local_chain_file', chainFile];
  // The chain file is created by the validator's first run from the seed; create it now so the
  // proxies can read the metagraph before the validator starts.
  run(
    [
      VALIDATOR,
      'run-once',
      '--netuid',
      String(NETUID),
      ...chainArgs,
      '--localnet.seed',
      'seed.json',
      '--store.path',
      'bootstrap/validator.sqlite',
      '--batch.alerts',
      '50',
      '--traps',
      '10',
      '--wallet.path',
      'wallets',
      '--wallet.name',
      'validator',
      '--logging.level',
      'error',
    ],
    'chain bootstrap',
  );
  return chainArgs;
}

/** Netuid 1 of the AML_CHAIN_SPEC runtime under chopsticks; returns the processes' chain options. */
async function chopsticksChain(names) {
  const startedAt = Date.now();
  chopsticks = await startChopsticks({ spec: CHAIN_SPEC, port: await freePort() });
  log(`chopsticks on ${chopsticks.url} with ${CHAIN_SPEC} (${Date.now() - startedAt} ms)`);
  // each wallet's hotkey doubles as its coldkey: it pays its own registration
  const [validator, ...miners] = names.map((name) => walletPair(join(work, 'wallets'), name));
  await prepareChain(chopsticks.url, { validator, miners, log });
  return ['--subtensor.network', chopsticks.url];
}

let exitCode = 0;
try {
  await main();
  log('cycle complete; shutting down');
} catch (err) {
  exitCode = 1;
  process.stderr.write(`[localnet] ${err instanceof Error ? err.message : String(err)}\n`);
  for (const c of children) process.stderr.write(`--- ${c.name}\n${c.output().slice(-1500)}\n`);
  if (chopsticks) process.stderr.write(`--- chopsticks\n${chopsticks.output().slice(-1500)}\n`);
} finally {
  await shutdown();
}
process.exit(exitCode);
