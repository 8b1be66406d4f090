import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressLabel, BatchKey } from '@aml/miner-template/schemas';
import { isPositiveRiskLevel } from '@aml/miner-template/schemas';
import { generateBatch } from '@aml/miner-template/synthetic';
import { revivePool } from '@aml/miner-template/tiers';
import Database from 'better-sqlite3';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { requestBatch } from '../../../test/support/request-batch.js';
import { fixedBatchSource } from '../../../test/validator/support/fixed-batch-source.js';
import { LocalChain } from '../../chain/local-chain.js';
import type { AxonTarget } from '../../dendrite/dendrite.js';
import type { AmlScoringRequest, AmlScoringSynapse } from '../../protocol/synapse.js';
import { MIGRATIONS } from '../store/migrations.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { CanonicalRecord, ValidatorStore } from '../store/types.js';
import type { CycleContext, QueryClient } from './context.js';
import { computeEnsemble } from './ensemble-step.js';
import { storedCycleBatch } from './request.js';
import { runCycle } from './run-cycle.js';
import { computeTiers, REFERENCE_HOTKEY } from './tier-step.js';

const NETUID = 42;
const KEY: BatchKey = { network: 'torus', processing_date: '2026-01-01', window_days: 7 };
const generated = generateBatch({ seed: 11, date: KEY.processing_date, windowDays: 7, alerts: 300 });
const labels: AddressLabel[] = generated.labels;
const positive = new Map(labels.map((l) => [l.address, isPositiveRiskLevel(l.risk_level) ? 1 : 0]));

const source = fixedBatchSource(generated.batch, labels);

type Behaviour = 'good' | 'noisy' | 'constant' | 'timeout';

/**
 * Miners with a known skill: 'good' knows the truth of every alert it is sent (labels for real
 * alerts, the cycle's stored trap truth for traps), 'noisy' scores at random, 'constant' sends 0.5.
 */
class FakeMiners implements QueryClient {
  calls = 0;
  constructor(
    private readonly behaviour: Record<string, Behaviour>,
    private readonly store: ValidatorStore,
  ) {}
  async query(axons: readonly AxonTarget[], request: AmlScoringRequest): Promise<AmlScoringSynapse[]> {
    this.calls++;
    const cycle = (await this.store.latestCycle())!;
    const trapTruth = new Map((await this.store.traps(cycle.cycleId)).map((t) => [t.alertId, t.truth]));
    const alerts = requestBatch(request).alerts;
    return axons.map((axon) => {
      const kind = this.behaviour[axon.hotkey];
      const base = {
        dendrite: {},
        axon: {},
        model_version: `${axon.hotkey}-1.0.0`,
      } as unknown as AmlScoringSynapse;
      if (kind === 'timeout')
        return {
          ...base,
          dendrite: { status_code: 408, status_message: 'timed out', process_time: 120 },
          scores: null,
        };
      const scores = alerts.map(({ alert_id, address }, j) => {
        const bad = trapTruth.get(alert_id) ?? positive.get(address) ?? 0;
        const jitter = (((j * 7919) % 1000) / 1000) * 0.2;
        const score =
          kind === 'constant'
            ? 0.5
            : kind === 'noisy'
              ? ((j * 37) % 100) / 100 + (j % 7) * 1e-4
              : 0.1 + 0.7 * bad + jitter;
        return { alert_id, score, model_version: `${axon.hotkey}-1.0.0`, latency_ms: 1 };
      });
      return { ...base, dendrite: { status_code: 200, process_time: 0.05 }, scores } as AmlScoringSynapse;
    });
  }
}

function setup(behaviour: Record<string, Behaviour>, store: ValidatorStore = new SqliteStore(':memory:')) {
  let now = Date.parse('2026-01-02T00:00:00Z');
  const neurons = [
    { hotkey: 'validator', coldkey: 'c0', stake: 1000, validatorPermit: true },
    ...Object.keys(behaviour).map((hotkey, i) => ({
      hotkey,
      coldkey: `c${i + 1}`,
      axon: { ip: '127.0.0.1', port: 9000 + i },
    })),
  ];
  const chain = LocalChain.inMemory(
    {
      startBlock: 1000,
      blockTimeMs: 12_000,
      subnets: [{ netuid: NETUID, hyperparameters: { weightsSetRateLimit: 10 }, neurons }],
    },
    { hotkey: 'validator', now: () => now },
  );
  const miners = new FakeMiners(behaviour, store);
  let seed = 1;
  const ctx: CycleContext = {
    store,
    chain,
    dendrite: miners,
    batches: source,
    settings: {
      netuid: NETUID,
      network: 'torus',
      windowDays: 7,
      trapsPerCycle: 20,
      stealthAudit: false,
      timeoutS: 120,
      concurrency: 4,
      tauDays: 0,
      batchDate: KEY.processing_date,
    },
    logger: pino({ level: 'silent' }),
    now: () => now,
    randomSeed: () => seed++,
  };
  return { ctx, chain, miners, store, advance: (ms: number) => (now += ms) };
}

const canonicalRow = ({ alertId, score, std, minerCount, source }: CanonicalRecord) => ({
  alertId,
  score,
  std,
  minerCount,
  source,
});
const byAlert = (a: { alertId: string }, b: { alertId: string }) => (a.alertId < b.alertId ? -1 : 1);

describe('runCycle', () => {
  it('pays the miner that beats the reference, fails timeouts, keeps traps out of the canonical scores', async () => {
    const { ctx, chain, store } = setup({ good: 'good', noisy: 'noisy', flat: 'constant', slow: 'timeout' });
    const report = await runCycle(ctx);
    const byKey = new Map(report.tiers.map((t) => [t.hotkey, t]));
    expect(byKey.get('slow')!.t1).toBe(0);
    expect(byKey.get('good')!.t2!).toBeGreaterThan(0.95);
    expect(byKey.get('flat')!.t2!).toBeLessThanOrEqual(0.5 * 0 + 0.5 * 0);

    // The cycle sent max(20, 2 %) traps under the batch's aliases, a 90 % sample of the real alerts.
    const traps = await store.traps(report.cycleId);
    expect(traps).toHaveLength(20);
    const canonical = await store.canonical('torus/2026-01-01/7');
    const realIds = new Set(generated.batch.alerts.map((a) => a.alert_id));
    // A few whole address groups (at most 5 % of the batch) were withheld from miners, and the
    // synthetic traps' donors were lent: the reference scores them, marked as such, and no miner
    // was sent them.
    const pool = revivePool(await store.trapPool('torus/2026-01-01/7'));
    expect(pool.withheld.length).toBeGreaterThan(0);
    expect(pool.withheld.length).toBeLessThanOrEqual(15);
    expect(pool.lent.length).toBeGreaterThanOrEqual(20);
    const withheld = [...pool.withheld, ...pool.lent];
    const scored = canonical.filter((c) => c.source !== 'withheld');
    expect(scored.length).toBe(Math.round(0.9 * (300 - withheld.length)));
    expect(scored.every((c) => realIds.has(c.alertId) && c.source === 'ensemble')).toBe(true);
    expect(
      canonical
        .filter((c) => c.source === 'withheld')
        .map((c) => c.alertId)
        .sort(),
    ).toEqual([...withheld].sort());
    expect(scored.some((c) => withheld.includes(c.alertId))).toBe(false);
    // Settled in this run (τ = 0): the withheld alerts, and only they, joined the trap bank.
    const banked = await store.trapBankIndex('torus');
    expect(banked.length).toBeGreaterThan(0);
    expect(banked.every((e) => pool.withheld.includes(e.alertId))).toBe(true);

    // tau = 0 and labels available: tier 3 settled in the same run, the reference's too.
    const settled = await store.tierResults(report.cycleId);
    expect(settled.find((t) => t.hotkey === REFERENCE_HOTKEY)!.t3).not.toBeNull();
    const good = settled.find((t) => t.hotkey === 'good')!;
    expect(good.t3).toBeCloseTo(1, 12);
    const noisy = settled.find((t) => t.hotkey === 'noisy')!;
    expect(noisy.t3!).toBeLessThan(0.2);
    // Whatever luck it had on 20 traps, settlement caps its trap credit at its real skill + 0.1.
    expect(noisy.t2Settled!).toBeLessThanOrEqual(0.5 * (Math.max(0, noisy.t3! * 2) + 0.1) + 0.5 + 1e-9);

    expect(report.weights.status).toBe('included');
    const snapshot = await chain.metagraph(NETUID, { refresh: true });
    const uid = (h: string) => snapshot.neurons.find((n) => n.hotkey === h)!.uid;
    const row = new Map(await chain.weightsOf(NETUID, uid('validator')));
    expect(row.get(uid('good'))).toBe(65535);
    // The others are below the reference: at most the 1/65535 padding MinAllowedWeights asks for.
    for (const h of ['noisy', 'flat', 'slow']) expect(row.get(uid(h)) ?? 0).toBeLessThanOrEqual(1);
    expect(report.standing!.miners.get('good')!.perf).toBeGreaterThan(report.standing!.reference.perf);
    expect(report.standing!.miners.get('noisy')!.perf).toBeLessThan(report.standing!.reference.perf);
  });

  it('stands the reference in for the ensemble when no miner beats it', async () => {
    const { ctx, store } = setup({ noisy: 'noisy', flat: 'constant' });
    const report = await runCycle(ctx);
    expect(report.ensembleWeights.size).toBe(0);
    const canonical = await store.canonical('torus/2026-01-01/7');
    expect(canonical.every((c) => c.source === 'reference' || c.source === 'withheld')).toBe(true);
    expect(canonical.some((c) => c.source === 'reference')).toBe(true);
    expect(report.weights.status).toBe('included');
    if (report.weights.status === 'included') expect(report.weights.mode).toBe('fallback');
  });

  it('resumes a cycle interrupted after the query without querying the miners again', async () => {
    const { ctx, miners, store } = setup({ good: 'good', noisy: 'noisy' });
    await expect(
      runCycle({
        ...ctx,
        afterStep: (step) => {
          if (step === 'queried') throw new Error('crash');
        },
      }),
    ).rejects.toThrow('crash');
    expect(miners.calls).toBe(1);
    expect((await store.openCycle())?.stage).toBe('queried');
    const report = await runCycle(ctx);
    expect(report.resumed).toBe(true);
    expect(miners.calls).toBe(1);
    expect(await store.openCycle()).toBeUndefined();
    expect(report.tiers).toHaveLength(2);
  });

  it('does not set weights twice inside the rate-limit window', async () => {
    const { ctx, advance } = setup({ good: 'good', noisy: 'noisy' });
    expect((await runCycle(ctx)).weights.status).toBe('included');
    const second = await runCycle(ctx);
    expect(second.weights.status).toBe('skipped');
    advance(5 * 12_000);
    expect((await runCycle(ctx)).weights.status).toBe('skipped');
    advance(6 * 12_000);
    expect((await runCycle(ctx)).weights.status).toBe('included');
  });

  it('resolves from the chain a set_weights that landed but whose outcome was never stored', async () => {
    const { ctx, chain, store } = setup({ good: 'good', noisy: 'noisy' });
    // The call reaches the chain, then the process dies before it writes the outcome.
    const resolve = store.resolveWeightSubmission.bind(store);
    let crashed = false;
    store.resolveWeightSubmission = async (...args) => {
      if (!crashed) {
        crashed = true;
        throw new Error('killed before the outcome was stored');
      }
      return resolve(...args);
    };
    await expect(runCycle(ctx)).rejects.toThrow('killed before the outcome was stored');
    const snapshot = await chain.metagraph(NETUID, { refresh: true });
    const validatorUid = snapshot.neurons.find((n) => n.hotkey === 'validator')!.uid;
    const landedAt = snapshot.neurons[validatorUid].lastUpdate;
    expect(landedAt).toBeGreaterThan(0);
    expect(await store.unresolvedWeightSubmissions()).toHaveLength(1);

    const resumed = await runCycle(ctx);
    expect(resumed.resumed).toBe(true);
    expect(resumed.weights).toMatchObject({ status: 'included', kind: 'set' });
    expect(await store.unresolvedWeightSubmissions()).toEqual([]);
    // Nothing was sent twice: LastUpdate is still the first call's block.
    const after = await chain.metagraph(NETUID, { refresh: true });
    expect(after.neurons[validatorUid].lastUpdate).toBe(landedAt);
  });

  it('takes over a store of the earlier scoring: closes its open cycle, settles its old cycles', async () => {
    // A store as the first release left it: schema 1 only, one finished cycle awaiting tier 3 and
    // one cycle interrupted after its query, neither with a trap plan.
    const file = join(mkdtempSync(join(tmpdir(), 'aml-legacy-')), 'validator.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    db.exec(MIGRATIONS[0]);
    db.prepare('INSERT INTO schema_migrations VALUES (1, 0)').run();
    db.prepare(
      "INSERT INTO batches VALUES ('torus/2026-01-01/7', 'torus', '2026-01-01', 7, 300, 'test')",
    ).run();
    db.prepare("INSERT INTO cycles VALUES (1, 'torus/2026-01-01/7', 'complete', 5, 0, 0)").run();
    db.prepare("INSERT INTO cycles VALUES (2, 'torus/2026-01-01/7', 'queried', 6, 0, 0)").run();
    db.prepare(
      `INSERT INTO tier_results (cycle_id, hotkey, uid, t1, t1_failure, t2, t2_detail, immediate, t3, final, settled)
       VALUES (1, 'good', 1, 1, NULL, 0.9, '{"trapAuc":0.9}', 0.47, NULL, NULL, 0)`,
    ).run();
    db.close();

    const store = new SqliteStore(file);
    const { ctx } = setup({ good: 'good', noisy: 'noisy' }, store);
    const report = await runCycle(ctx);
    expect(report.resumed).toBe(false);
    expect(report.cycleId).toBe(3);
    expect(report.weights.status).toBe('included');
    expect(await store.openCycle()).toBeUndefined();
    expect((await store.cycleReport(2)).abandoned).toMatch(/not resumable/);
    // The old cycle settled with tier 3 unknown and its immediate score as final.
    expect(await store.unsettledCycles()).toEqual([]);
    expect((await store.tierResults(1))[0]).toMatchObject({ t3: null, final: 0.47 });
    expect((await store.tierResults(3)).find((t) => t.hotkey === 'good')!.t3).toBeCloseTo(1, 12);
    await store.close();
  });

  it('reads answers one at a time and scores them as the all-at-once path does', async () => {
    // Five behaviours and a copy ('twin' answers as 'good' does), so tier 2, the copy verdicts,
    // the ensemble (two contributors) and tier 3 all have something to get wrong.
    const behaviour = {
      good: 'good',
      twin: 'good',
      noisy: 'noisy',
      flat: 'constant',
      slow: 'timeout',
    } as const;
    const { ctx, store } = setup(behaviour);
    const wholeReads: number[] = [];
    const answers = store.answers.bind(store);
    store.answers = async (cycleId) => {
      wholeReads.push(cycleId);
      return answers(cycleId);
    };
    const report = await runCycle(ctx);
    expect(wholeReads).toEqual([]);
    const cycle = (await store.latestCycle())!;
    const request = await storedCycleBatch(ctx, cycle);
    const stored = await answers(cycle.cycleId);
    const snapshot = await ctx.chain.metagraph(NETUID);
    const expected = computeTiers({
      answers: stored,
      alertIds: request.request.batch.alerts.map((a) => a.alert_id),
      realAliases: request.realAliases,
      trapTruth: request.request.trapTruth,
      timeoutMs: 120_000,
      registeredAt: new Map(
        snapshot.neurons.map((n) => [n.hotkey, n.registeredAt ?? Number.MAX_SAFE_INTEGER]),
      ),
    });
    const tiers = await store.tierResults(cycle.cycleId);
    const pick = ({ hotkey, t1, t1Failure, t2, t2Detail, immediate, copyOf }: (typeof tiers)[number]) => ({
      hotkey,
      t1,
      t1Failure,
      t2,
      t2Detail,
      immediate,
      copyOf,
    });
    expect(tiers.map(pick)).toEqual(expected.map(pick));
    expect(tiers.filter((t) => t.copyOf !== null).map((t) => t.hotkey)).toEqual(['twin']);

    const ensemble = computeEnsemble({
      answers: stored,
      tiers,
      standing: report.standing!,
      realAliases: request.realAliases,
      realIds: request.realIds,
    });
    expect(ensemble.source).toBe('ensemble');
    expect(report.ensembleWeights).toEqual(ensemble.weights);
    const canonical = (await store.canonical(cycle.batchId)).filter((c) => c.source !== 'withheld');
    expect(canonical.map(canonicalRow).sort(byAlert)).toEqual(
      ensemble.canonical.map(canonicalRow).sort(byAlert),
    );
  });

  it('resumed after the tier step, reads the answers from the store and reaches the same canonical scores', async () => {
    const behaviour = { good: 'good', noisy: 'noisy', flat: 'constant' } as const;
    const straight = setup(behaviour);
    await runCycle(straight.ctx);
    const resumed = setup(behaviour);
    await expect(
      runCycle({
        ...resumed.ctx,
        afterStep: (step) => {
          if (step === 'scored') throw new Error('crash');
        },
      }),
    ).rejects.toThrow('crash');
    const report = await runCycle(resumed.ctx);
    expect(report.resumed).toBe(true);
    const canonical = async (s: ValidatorStore) =>
      (await s.canonical('torus/2026-01-01/7')).map(canonicalRow);
    expect(await canonical(resumed.store)).toEqual(await canonical(straight.store));
    const final = async (s: ValidatorStore) => (await s.tierResults(1)).map((t) => [t.hotkey, t.t3, t.final]);
    expect(await final(resumed.store)).toEqual(await final(straight.store));
  });
});
