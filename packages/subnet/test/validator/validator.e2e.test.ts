/**
 * The validator end to end on 127.0.0.1: one cycle (runCycle) with the real dendrite against six
 * real axon proxies, each in front of a miner API with a known behaviour (good, weak, sleeps past
 * the timeout, garbage JSON, copies the good miner, constant), a generated batch with synthetic
 * traps, a SQLite store and LocalChain. The expected order comes from how the behaviours are built
 * (scores from alert_confidence_score, which the generator correlates with the truth), not from the
 * validator's own numbers.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalChain } from '../../src/chain/local-chain.js';
import { Dendrite } from '../../src/dendrite/dendrite.js';
import { cryptoReady } from '../../src/protocol/signing.js';
import { GeneratedBatchSource } from '../../src/validator/batch-source.js';
import type { CycleContext } from '../../src/validator/cycle/context.js';
import { type CycleReport, runCycle } from '../../src/validator/cycle/run-cycle.js';
import { SqliteStore } from '../../src/validator/store/sqlite-store.js';
import { syntheticTraps } from '../../src/validator/traps.js';
import { loadHotkeyFromEnv } from '../../src/wallet/hotkey.js';
import { type Fleet, startFleet } from './support/miner-fleet.js';

const NETUID = 7;
const ALERTS = 300;
const TRAPS = 40;
const TIMEOUT_S = 3;
const validator = loadHotkeyFromEnv({ AML_HOTKEY_SEED: `0x${'22'.repeat(32)}` })!;

let fleet: Fleet;
let chain: LocalChain;
let store: SqliteStore;
let dendrite: Dendrite;
let report: CycleReport;

beforeAll(async () => {
  await cryptoReady();
  fleet = await startFleet(validator.ss58Address, [
    { name: 'good', behaviour: { kind: 'good' } },
    { name: 'weak', behaviour: { kind: 'weak' } },
    { name: 'slow', behaviour: { kind: 'sleep', ms: (TIMEOUT_S + 2) * 1000 } },
    { name: 'garbage', behaviour: { kind: 'garbage' } },
    { name: 'copier', behaviour: { kind: 'copy', fromUrl: '@good' } },
    { name: 'constant', behaviour: { kind: 'constant' } },
  ]);
  chain = LocalChain.inMemory(
    {
      startBlock: 1000,
      blockTimeMs: 12_000,
      subnets: [{ netuid: NETUID, hyperparameters: { weightsSetRateLimit: 10 }, neurons: fleet.neurons }],
    },
    { hotkey: validator.pair },
  );
  store = new SqliteStore(':memory:');
  dendrite = new Dendrite({ signer: validator.signer });
  // Strictly increasing, so the miner seen first (lower uid) keeps credit for a copied model.
  let last = 0;
  const ctx: CycleContext = {
    store,
    chain,
    dendrite,
    batches: new GeneratedBatchSource(ALERTS),
    traps: syntheticTraps,
    settings: {
      netuid: NETUID,
      network: 'torus',
      windowDays: 7,
      trapsPerCycle: TRAPS,
      timeoutS: TIMEOUT_S,
      concurrency: 8,
      tauDays: 7,
      batchDate: '2026-01-01',
    },
    logger: pino({ level: 'silent' }),
    now: () => {
      last = Math.max(last + 1, Date.now());
      return last;
    },
    randomSeed: () => 12345,
  };
  report = await runCycle(ctx);
}, 60_000);

afterAll(async () => {
  await dendrite?.close();
  await fleet?.close();
  await store?.close();
});

const tier = (name: string) => {
  const t = report.tiers.find((x) => x.hotkey === fleet.byName(name).hotkey);
  if (!t) throw new Error(`no tier result for ${name}`);
  return t;
};

describe('validator cycle against real axon proxies', () => {
  it('queries every miner once and stores one answer each', async () => {
    expect(report.resumed).toBe(false);
    expect(report.miners).toBe(6);
    for (const m of fleet.miners) expect(m.api.calls(), m.name).toBe(m.name === 'good' ? 2 : 1);
    const answers = await store.answers(report.cycleId);
    expect(answers.map((a) => a.uid)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(answers.find((a) => a.hotkey === fleet.byName('good').hotkey)?.statusCode).toBe(200);
  });

  it('fails the miner that sleeps past the timeout and the one that answers garbage at tier 1', () => {
    expect(tier('slow')).toMatchObject({ t1: 0, t2: null, immediate: 0 });
    expect(tier('slow').t1Failure).toMatch(/timeout|408/);
    expect(tier('garbage')).toMatchObject({ t1: 0, t2: null, immediate: 0 });
    for (const name of ['good', 'weak', 'copier', 'constant']) expect(tier(name).t1, name).toBe(1);
  });

  it('zeroes tier 2 of the copier and keeps the original', () => {
    expect(tier('copier').t2).toBe(0);
    expect((tier('copier').t2Detail as { plagiarism: string }).plagiarism).toContain(
      fleet.byName('good').hotkey,
    );
    expect((tier('good').t2Detail as { plagiarism: string | null }).plagiarism).toBeNull();
  });

  it('ranks good above weak above constant on traps and on the settled labels', () => {
    const trapAuc = (name: string) => (tier(name).t2Detail as { trapAuc: number }).trapAuc;
    expect(trapAuc('good')).toBeGreaterThan(0.9);
    expect(trapAuc('good')).toBeGreaterThan(trapAuc('weak'));
    expect(trapAuc('constant')).toBe(0.5);
    expect(tier('good').immediate).toBeGreaterThan(tier('weak').immediate);
    expect(tier('weak').immediate).toBeGreaterThan(tier('constant').immediate);
    // The batch date is long past τ and generated labels exist: tier 3 settled in the same cycle.
    expect(report.settled).toBe(6);
    expect(tier('good').final!).toBeGreaterThan(tier('weak').final!);
    expect(tier('weak').final!).toBeGreaterThan(tier('constant').final!);
  });

  it('stores canonical scores for the real alerts only', async () => {
    const canonical = await store.canonical(report.batchId);
    expect(canonical).toHaveLength(ALERTS);
    const traps = new Set((await store.traps(report.cycleId)).map((t) => t.alertId));
    expect(traps.size).toBe(TRAPS);
    expect(canonical.some((c) => traps.has(c.alertId))).toBe(false);
    expect(canonical.every((c) => c.minerCount === 4)).toBe(true);
  });

  it('sets weights on chain: good highest, failed miners none', async () => {
    expect(report.weights.status).toBe('included');
    const uid = (name: string) => fleet.miners.findIndex((m) => m.name === name) + 1;
    const row = new Map(await chain.weightsOf(NETUID, 0));
    expect(row.get(uid('good'))).toBe(65535);
    expect(row.has(uid('slow'))).toBe(false);
    expect(row.has(uid('garbage'))).toBe(false);
    expect(row.get(uid('weak'))!).toBeGreaterThan(row.get(uid('constant'))!);
    expect(row.get(uid('constant'))!).toBeGreaterThan(0);
    const snapshot = await chain.metagraph(NETUID, { refresh: true });
    expect(snapshot.neurons[0].lastUpdate).toBe(snapshot.block);
  });
});
