/**
 * The validator end to end on 127.0.0.1: one cycle (runCycle) with the real dendrite against six
 * real axon proxies, each in front of a miner API with a known behaviour (good, weak, sleeps past
 * the timeout, garbage JSON, copies the good miner, constant), a generated batch with conformed
 * synthetic traps, a SQLite store and LocalChain. The expected order comes from how the behaviours
 * are built (skill on the labelled real alerts, see behaving-miner-api.ts), not from the
 * validator's own numbers.
 */
import { isPositiveRiskLevel } from '@aml/miner-template';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalChain } from '../../src/chain/local-chain.js';
import { Dendrite } from '../../src/dendrite/dendrite.js';
import { cryptoReady } from '../../src/protocol/signing.js';
import { GeneratedBatchSource } from '../../src/validator/batch-source.js';
import type { CycleContext } from '../../src/validator/cycle/context.js';
import { type CycleReport, runCycle } from '../../src/validator/cycle/run-cycle.js';
import { REFERENCE_HOTKEY } from '../../src/validator/cycle/tier-step.js';
import { SqliteStore } from '../../src/validator/store/sqlite-store.js';
import { loadHotkeyFromEnv } from '../../src/wallet/hotkey.js';
import { type Fleet, startFleet } from './support/miner-fleet.js';
import { canonicalRowsAfterOneCycle, unsentAlerts } from './support/unsent-alerts.js';

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

const BATCH_DATE = '2026-01-01';
const batches = new GeneratedBatchSource(ALERTS);

beforeAll(async () => {
  await cryptoReady();
  const labels = (await batches.labels({ network: 'torus', processing_date: BATCH_DATE, window_days: 7 }))!;
  const truth = new Map(labels.map((l) => [l.address, isPositiveRiskLevel(l.risk_level) ? 1 : 0]));
  fleet = await startFleet(
    validator.ss58Address,
    [
      { name: 'good', behaviour: { kind: 'good' } },
      { name: 'weak', behaviour: { kind: 'weak' } },
      { name: 'slow', behaviour: { kind: 'sleep', ms: (TIMEOUT_S + 2) * 1000 } },
      { name: 'garbage', behaviour: { kind: 'garbage' } },
      { name: 'copier', behaviour: { kind: 'copy', fromUrl: '@good' } },
      { name: 'constant', behaviour: { kind: 'constant' } },
    ],
    40,
    truth,
  );
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
  let last = 0;
  const ctx: CycleContext = {
    store,
    chain,
    dendrite,
    batches,
    settings: {
      netuid: NETUID,
      network: 'torus',
      windowDays: 7,
      trapsPerCycle: TRAPS,
      timeoutS: TIMEOUT_S,
      concurrency: 8,
      tauDays: 7,
      batchDate: BATCH_DATE,
      stealthAudit: false,
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
    // The reference's answer is stored with the miners' (uid −1), so it goes through every tier.
    expect(answers.map((a) => a.uid)).toEqual([-1, 1, 2, 3, 4, 5, 6]);
    expect(answers.find((a) => a.hotkey === fleet.byName('good').hotkey)?.statusCode).toBe(200);
  });

  it('fails the miner that sleeps past the timeout and the one that answers garbage at tier 1', () => {
    expect(tier('slow')).toMatchObject({ t1: 0, t2: null, immediate: 0 });
    expect(tier('slow').t1Failure).toMatch(/timeout|408/);
    expect(tier('garbage')).toMatchObject({ t1: 0, t2: null, immediate: 0 });
    for (const name of ['good', 'weak', 'copier', 'constant']) expect(tier(name).t1, name).toBe(1);
  });

  it('zeroes the whole cycle of the copier and keeps the original (registered first)', () => {
    expect(tier('copier').copyOf).toBe(fleet.byName('good').hotkey);
    expect(tier('copier').immediate).toBe(0);
    expect(tier('good').copyOf).toBeNull();
    expect(tier('weak').copyOf).toBeNull();
  });

  it('ranks good above weak above the reference above constant once the labels settle', () => {
    // The batch date is long past τ and generated labels exist: tier 3 settled in the same cycle.
    expect(report.settled).toBe(7); // six miners and the reference
    expect(tier('good').t3!).toBeGreaterThan(tier('weak').t3!);
    expect(tier('weak').t3!).toBeGreaterThan(tier('constant').t3 ?? 0);
    const standing = report.standing!;
    const perf = (name: string) => standing.miners.get(fleet.byName(name).hotkey)!.perf;
    expect(perf('good')).toBeGreaterThan(perf('weak'));
    expect(perf('weak')).toBeGreaterThan(standing.reference.perf);
    expect(standing.reference.perf).toBeGreaterThan(perf('constant'));
    expect(perf('copier')).toBe(0);
  });

  it('stores canonical scores for the real alerts only, from the miners that beat the reference', async () => {
    const all = await store.canonical(report.batchId);
    const unsent = await unsentAlerts(store, report.batchId);
    expect(all).toHaveLength(canonicalRowsAfterOneCycle(ALERTS, unsent.length));
    // Alerts no miner was sent carry the reference's score, marked as such.
    expect(
      all
        .filter((c) => c.source === 'withheld')
        .map((c) => c.alertId)
        .sort(),
    ).toEqual([...unsent].sort());
    const canonical = all.filter((c) => c.source !== 'withheld');
    expect(await store.traps(report.cycleId)).toHaveLength(TRAPS);
    // Canonical rows carry the batch's own alert ids (requests use per-batch aliases, traps never reach it).
    const { batch } = await batches.load({ network: 'torus', processing_date: BATCH_DATE, window_days: 7 });
    const own = new Set(batch.alerts.map((a) => a.alert_id));
    expect(canonical.every((c) => own.has(c.alertId))).toBe(true);
    // The labels settle before the ensemble is formed, so it reads the same standing as the
    // weights: good and weak beat the reference on tier 3; nobody else may be in it.
    const members = [...report.ensembleWeights.keys()];
    expect(members).toContain(fleet.byName('good').hotkey);
    for (const m of members) expect([fleet.byName('good').hotkey, fleet.byName('weak').hotkey]).toContain(m);
    expect(new Set(canonical.map((c) => `${c.minerCount}/${c.source}`))).toEqual(
      new Set([`${members.length}/ensemble`]),
    );
    expect(report.ensembleWeights.has(REFERENCE_HOTKEY)).toBe(false);
  });

  it('sets weights on chain ∝ excess²: good highest, weak less, nothing for the rest', async () => {
    expect(report.weights.status).toBe('included');
    const uid = (name: string) => fleet.miners.findIndex((m) => m.name === name) + 1;
    const row = new Map(await chain.weightsOf(NETUID, 0));
    expect(row.get(uid('good'))).toBe(65535);
    const standing = report.standing!;
    const excess = (name: string) =>
      standing.miners.get(fleet.byName(name).hotkey)!.perf - standing.reference.perf;
    const expectedWeak = Math.round(65535 * (excess('weak') / excess('good')) ** 2);
    expect(Math.abs(row.get(uid('weak'))! - expectedWeak)).toBeLessThanOrEqual(1);
    for (const name of ['slow', 'garbage', 'copier', 'constant'])
      expect(row.has(uid(name)), name).toBe(false);
    const snapshot = await chain.metagraph(NETUID, { refresh: true });
    expect(snapshot.neurons[0].lastUpdate).toBe(snapshot.block);
  });
});
