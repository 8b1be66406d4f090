/**
 * Crash tests with the built bins in separate processes (issue 17, item 6): a real miner API
 * (`aml-miner serve`, shipped models) behind a real axon proxy (`aml-miner-proxy`), and the real
 * `aml-validator run-once`, each in its own process group. The validator is killed with SIGKILL by
 * process group at a store write (it pauses there: AML_VALIDATOR_PAUSE_AT) or when a log line
 * appears, then run again without the hook. Afterwards its store and the LocalChain state file
 * must equal an uninterrupted control run of the same trap seed (AML_VALIDATOR_TRAP_SEED): the
 * same answers, tiers, canonical scores and traps, one `set_weights` on chain with the same
 * weights, and the miner asked once. Needs both packages built (`npm run build`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalChain } from '../../src/chain/local-chain.js';
import type { LocalChainSeed } from '../../src/chain/local-chain-seed.js';
import { FileStore } from '../../src/chain/local-chain-store.js';
import { cryptoReady } from '../../src/protocol/signing.js';
import { SqliteStore } from '../../src/validator/store/sqlite-store.js';
import { loadHotkeyFromEnv } from '../../src/wallet/hotkey.js';
import {
  BINS,
  type BinProcess,
  built,
  freePort,
  MODELS,
  startBin,
  waitForHttp,
} from '../support/bin-process.js';

const NETUID = 9;
const VALIDATOR_SEED = `0x${'33'.repeat(32)}`;
const MINER_SEED = `0x${'44'.repeat(32)}`;
const TRAP_SEED = '424242';

let seed: LocalChainSeed;
let minerApi: BinProcess;
let proxy: BinProcess;
let apiUrl: string;

beforeAll(async () => {
  if (!built) return;
  await cryptoReady();
  const validator = loadHotkeyFromEnv({ AML_HOTKEY_SEED: VALIDATOR_SEED })!.ss58Address;
  const miner = loadHotkeyFromEnv({ AML_HOTKEY_SEED: MINER_SEED })!.ss58Address;
  const [apiPort, axonPort] = [await freePort(), await freePort()];
  seed = {
    startBlock: 1000,
    blockTimeMs: 0, // blocks move only when a test says so
    subnets: [
      {
        netuid: NETUID,
        hyperparameters: { weightsSetRateLimit: 10, minAllowedWeights: 1 },
        neurons: [
          { hotkey: validator, coldkey: validator, stake: 1000, validatorPermit: true },
          { hotkey: miner, coldkey: miner, stake: 10, axon: { ip: '127.0.0.1', port: axonPort } },
        ],
      },
    ],
  };
  apiUrl = `http://127.0.0.1:${apiPort}`;
  minerApi = startBin(BINS.miner, [
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(apiPort),
    '--models-dir',
    MODELS,
    '--log-level',
    'warn',
  ]);
  await waitForHttp(`${apiUrl}/version`);
  // The proxy reads validator permits from a chain of its own with the same neurons (its axon is
  // already in the seed, so it sends no serve_axon); each case's validator gets a fresh chain.
  const proxyChain = join(mkdtempSync(join(tmpdir(), 'aml-crashp-proxy-')), 'chain.json');
  await LocalChain.createFile(proxyChain, seed);
  proxy = startBin(
    BINS.proxy,
    [
      '--netuid',
      String(NETUID),
      '--miner.api_url',
      apiUrl,
      '--axon.ip',
      '127.0.0.1',
      '--axon.port',
      String(axonPort),
      '--subtensor.network',
      'local-sim',
      '--subtensor.local_chain_file',
      proxyChain,
      '--logging.level',
      'warn',
    ],
    { AML_HOTKEY_SEED: MINER_SEED },
  );
  await waitForHttp(`http://127.0.0.1:${axonPort}/healthz`);
}, 120_000);

afterAll(async () => {
  for (const p of [proxy, minerApi]) {
    p?.kill();
    await p?.exited;
  }
});

/** Scoring requests the miner API has answered so far (its Prometheus counter). */
async function minerQueries(): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('aml_miner_http_requests_total{') && line.includes('method="POST"')) {
      total += Number(line.split(' ').at(-1));
    }
  }
  return total;
}

function newCase(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `aml-crashp-${name}-`));
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  const chainFile = join(dir, 'chain.json');
  const storePath = join(dir, 'validator.sqlite');
  const args = [
    'run-once',
    '--netuid',
    String(NETUID),
    '--subtensor.network',
    'local-sim',
    '--subtensor.local_chain_file',
    chainFile,
    '--localnet.seed',
    seedFile,
    '--store.path',
    storePath,
    '--wallet.path',
    join(dir, 'no-wallets'),
    '--batch.alerts',
    '150',
    '--batch.date',
    '2026-01-01',
    '--traps',
    '20',
    '--tier3.tau_days',
    '0',
    '--neuron.timeout',
    '60',
    '--no-stealth-audit',
    '--logging.level',
    'info',
  ];
  const run = (hooks: Record<string, string> = {}) =>
    startBin(BINS.validator, args, {
      AML_HOTKEY_SEED: VALIDATOR_SEED,
      AML_VALIDATOR_TRAP_SEED: TRAP_SEED,
      ...hooks,
    });
  return { chainFile, storePath, run };
}

/** A stored JSON value without its latency figures, the one thing two runs do not share. */
function withoutTimings(value: unknown): unknown {
  const parsed = typeof value === 'string' ? JSON.parse(value) : value;
  return JSON.parse(
    JSON.stringify(parsed, (key, v) => (key === 'latency_ms' || key === 'meanLatencyMs' ? undefined : v)),
  );
}

/** Everything a cycle leaves behind that must not depend on a crash (timestamps and ids aside). */
async function outcome(storePath: string, chainFile: string) {
  const db = new Database(storePath, { readonly: true });
  const all = (sql: string) => db.prepare(sql).all();
  const store = {
    cycles: all('SELECT cycle_id, batch_id, stage, trap_seed FROM cycles'),
    traps: all('SELECT alert_id, truth FROM traps ORDER BY alert_id'),
    answers: [] as unknown[],
    tiers: (
      all(
        'SELECT hotkey, uid, t1, t1_failure, t2, t2_detail, immediate, t3, final, settled, copy_of, t2_settled, trap_component FROM tier_results ORDER BY hotkey',
      ) as Array<Record<string, unknown>>
    ).map(({ t2_detail, ...row }) => ({ ...row, t2_detail: withoutTimings(t2_detail) })),
    canonical: all(
      'SELECT alert_id, score, std, miner_count, source FROM canonical_scores ORDER BY alert_id',
    ),
    weights: all("SELECT kind, uids, weights FROM weight_submissions WHERE status = 'included'"),
  };
  const statuses = (all('SELECT status FROM weight_submissions ORDER BY id') as { status: string }[]).map(
    (r) => r.status,
  );
  db.close();
  const validatorStore = new SqliteStore(storePath);
  store.answers = (await validatorStore.answers(1))
    .map((a) => ({ ...a, elapsedMs: undefined, answer: withoutTimings(a.answer) }))
    .sort((a, b) => a.hotkey.localeCompare(b.hotkey));
  await validatorStore.close();
  const state = await new FileStore(chainFile).read();
  const subnet = state.subnets[String(NETUID)];
  const chain = {
    weights: subnet.weights,
    setWeights: (state.extrinsics ?? []).filter((x) => x.call === 'set_weights').map((x) => x.success),
  };
  return { store, chain, statuses, lastUpdate: subnet.neurons[0].lastUpdate, blocks: state.blockOffset };
}

async function finish(p: BinProcess) {
  const done = await p.exited;
  expect(done.code, done.output).toBe(0);
  expect(done.output).toMatch(/cycle 1 on torus\/2026-01-01\/7.*: 1 miner\(s\) scored/);
  return done.output;
}

describe.skipIf(!built)('the real aml-validator killed by process group, against a control run', () => {
  let control: Awaited<ReturnType<typeof outcome>>;

  beforeAll(async () => {
    const c = newCase('control');
    const before = await minerQueries();
    const out = await finish(c.run());
    expect(out).toContain('weights set (set)');
    control = await outcome(c.storePath, c.chainFile);
    expect(await minerQueries()).toBe(before + 1);
    expect(control.chain.setWeights).toEqual([true]);
    expect(control.statuses).toEqual(['included']);
    expect(control.lastUpdate).toBe(1000);
    expect(control.store.answers).toHaveLength(2); // the miner and the reference
  }, 180_000);

  /** Kills at `point`, restarts, and checks the result against the control run. */
  async function crashAndResume(
    name: string,
    kill: (p: BinProcess) => Promise<unknown>,
    hooks: Record<string, string>,
    duringRestart?: (p: BinProcess, c: ReturnType<typeof newCase>) => Promise<void>,
  ) {
    const c = newCase(name);
    const before = await minerQueries();
    const crashed = c.run(hooks);
    await kill(crashed);
    crashed.kill();
    expect((await crashed.exited).signal).toBe('SIGKILL');
    const restarted = c.run();
    await duringRestart?.(restarted, c);
    const out = await finish(restarted);
    const after = await outcome(c.storePath, c.chainFile);
    expect(after.store).toEqual(control.store);
    expect(after.chain).toEqual(control.chain); // one set_weights, the same row
    expect(await minerQueries()).toBe(before + 1); // asked once over both runs
    return { out, after };
  }

  const pauseAt = (point: string) => ({ AML_VALIDATOR_PAUSE_AT: point });
  const paused = (p: BinProcess) => p.waitFor(/AML_TEST_PAUSE/);

  it('killed after the intent is stored, before signing: nothing was sent, sent on restart', async () => {
    const { after } = await crashAndResume('intent', paused, pauseAt('after:recordWeightIntent'));
    expect(after.statuses).toEqual(['unsent', 'included']);
    expect(after.lastUpdate).toBe(1000);
  }, 120_000);

  it('killed after hash and era are stored, before sending: waits for the era to close, then sends once', async () => {
    const { after } = await crashAndResume(
      'signed',
      paused,
      pauseAt('after:recordWeightSigned'),
      async (restarted, c) => {
        await restarted.waitFor(/waiting for an earlier submission/);
        // The era (32 blocks from 1000) closes once the chain is two blocks past its last block.
        await LocalChain.openFile(c.chainFile).advanceBlocks(34);
      },
    );
    expect(after.statuses).toEqual(['expired', 'included']);
    expect(after.lastUpdate).toBe(1034);
  }, 120_000);

  it('killed after set_weights landed, before its outcome is stored: found by hash, not sent again', async () => {
    const { after } = await crashAndResume('landed', paused, pauseAt('before:resolveWeightSubmission'));
    expect(after.statuses).toEqual(['included']);
    expect(after.lastUpdate).toBe(1000);
  }, 120_000);

  it('killed after the miner answer is stored, after the tiers and after the canonical scores', async () => {
    for (const point of ['after:putAnswer', 'after:putTierResults', 'after:putCanonical']) {
      const { after } = await crashAndResume(point.split(':')[1], paused, pauseAt(point));
      expect(after.statuses, point).toEqual(['included']);
    }
  }, 240_000);
});

if (!built) console.warn('[crash-process] skipped: build the packages first (npm run build)');
