/**
 * A one-miner subnet of real processes for the process-level crash and fault tests: the built
 * `aml-miner serve` (shipped models) behind the built `aml-miner-proxy`, a LocalChain seed with the
 * validator and that miner, and per test case a fresh chain file and store for the built
 * `aml-validator run-once` (fixed trap seed, so runs compare row for row). `outcome` reads what a
 * run left in the store and on the chain, timestamps and latencies aside.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { LocalChain } from '../../../src/chain/local-chain.js';
import type { LocalChainSeed } from '../../../src/chain/local-chain-seed.js';
import { FileStore } from '../../../src/chain/local-chain-store.js';
import { cryptoReady } from '../../../src/protocol/signing.js';
import { SqliteStore } from '../../../src/validator/store/sqlite-store.js';
import { loadHotkeyFromEnv } from '../../../src/wallet/hotkey.js';
import {
  BINS,
  type BinProcess,
  freePort,
  startBin,
  startMinerApiBin,
  startProxyBin,
} from '../../support/bin-process.js';
import { localSimArgs } from './local-sim-args.js';

export const NETUID = 9;
const VALIDATOR_SEED = `0x${'33'.repeat(32)}`;
const MINER_SEED = `0x${'44'.repeat(32)}`;
const TRAP_SEED = '424242';

let seed: LocalChainSeed;
let minerApi: BinProcess;
let proxy: BinProcess;
let apiUrl: string;

/** Starts the miner API and its proxy (once per test file). */
export async function startSubnet(): Promise<void> {
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
  ({ api: minerApi, url: apiUrl } = await startMinerApiBin(apiPort));
  // The proxy reads validator permits from a chain of its own with the same neurons (its axon is
  // already in the seed, so it sends no serve_axon); each case's validator gets a fresh chain.
  const proxyChain = join(mkdtempSync(join(tmpdir(), 'aml-crashp-proxy-')), 'chain.json');
  await LocalChain.createFile(proxyChain, seed);
  proxy = await startProxyBin(apiUrl, axonPort, MINER_SEED, [
    '--netuid',
    String(NETUID),
    '--subtensor.network',
    'local-sim',
    '--subtensor.local_chain_file',
    proxyChain,
  ]);
}

export async function stopSubnet(): Promise<void> {
  for (const p of [proxy, minerApi]) {
    p?.kill();
    await p?.exited;
  }
}

/** Scoring requests the miner API has answered so far (its Prometheus counter). */
export async function minerQueries(): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('aml_miner_http_requests_total{') && line.includes('method="POST"')) {
      total += Number(line.split(' ').at(-1));
    }
  }
  return total;
}

export function newCase(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `aml-crashp-${name}-`));
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  const chainFile = join(dir, 'chain.json');
  const storePath = join(dir, 'validator.sqlite');
  const args = [
    'run-once',
    ...localSimArgs({ netuid: NETUID, dir, seedFile, chainFile, storePath, alerts: 150, timeoutSeconds: 60 }),
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
export async function outcome(storePath: string, chainFile: string) {
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

export async function finish(p: BinProcess) {
  const done = await p.exited;
  expect(done.code, done.output).toBe(0);
  expect(done.output).toMatch(/cycle 1 on torus\/2026-01-01\/7.*: 1 miner\(s\) scored/);
  return done.output;
}
