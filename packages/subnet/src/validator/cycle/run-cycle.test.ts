import type { AddressLabel, Alert, Batch, BatchKey } from '@aml/miner-template';
import { AddressLabelSchema, AlertSchema, featureRowsToTable } from '@aml/miner-template';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LocalChain } from '../../chain/local-chain.js';
import type { AxonTarget } from '../../dendrite/dendrite.js';
import type { AmlScoringRequest, AmlScoringSynapse } from '../../protocol/synapse.js';
import type { BatchSource } from '../batch-source.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { TrapFactory } from '../traps.js';
import type { CycleContext, QueryClient } from './context.js';
import { runCycle } from './run-cycle.js';

const NETUID = 42;
const KEY: BatchKey = { network: 'torus', processing_date: '2026-01-01', window_days: 7 };
const alerts: Alert[] = Array.from({ length: 30 }, (_, i) =>
  AlertSchema.parse({ alert_id: `r${i}`, address: `addr${i}` }),
);
// Real truth: every third alert is laundering.
const labels: AddressLabel[] = alerts.map((a, i) =>
  AddressLabelSchema.parse({ address: a.address, label: 'x', risk_level: i % 3 === 0 ? 'high' : 'low' }),
);

const source: BatchSource = {
  async load(): Promise<{ batch: Batch; source: string }> {
    return {
      batch: { key: KEY, alerts, features: featureRowsToTable([]), clusters: [], money_flows: [] },
      source: 'test',
    };
  },
  async labels() {
    return labels;
  },
};

const traps: TrapFactory = {
  make: ({ seed }) => {
    const trapAlerts = Array.from({ length: 6 }, (_, i) =>
      AlertSchema.parse({ alert_id: `t${seed}_${i}`, address: `trap${i}` }),
    );
    return {
      alerts: trapAlerts,
      features: featureRowsToTable([]),
      flows: [],
      truth: new Map(trapAlerts.map((a, i) => [a.alert_id, i % 2 === 0 ? 1 : 0] as [string, 0 | 1])),
    };
  },
};

/** Truth for any alert id the fake miners see: traps by their index parity, real alerts by SPEC labels. */
function isBad(id: string): boolean {
  if (id.startsWith('t')) return Number(id.split('_')[1]) % 2 === 0;
  return Number(id.slice(1)) % 3 === 0;
}

type Behaviour = 'good' | 'noisy' | 'constant' | 'timeout';
class FakeMiners implements QueryClient {
  calls = 0;
  constructor(private readonly behaviour: Record<string, Behaviour>) {}
  async query(axons: readonly AxonTarget[], request: AmlScoringRequest): Promise<AmlScoringSynapse[]> {
    this.calls++;
    return axons.map((axon) => {
      const kind = this.behaviour[axon.hotkey];
      const ids = (request.alerts ?? []).map((a) => String(a.alert_id));
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
      const scores = ids.map((alert_id, j) => {
        const signal = isBad(alert_id) ? 0.8 : 0.2;
        const score =
          kind === 'constant'
            ? 0.5
            : kind === 'noisy'
              ? ((j * 37) % 100) / 100
              : signal + ((j % 5) - 2) * 0.01;
        return { alert_id, score, model_version: `${axon.hotkey}-1.0.0`, latency_ms: 1, explain_json: '{}' };
      });
      return { ...base, dendrite: { status_code: 200, process_time: 0.05 }, scores } as AmlScoringSynapse;
    });
  }
}

function setup(behaviour: Record<string, Behaviour>) {
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
  const miners = new FakeMiners(behaviour);
  const store = new SqliteStore(':memory:');
  let seed = 1;
  const ctx: CycleContext = {
    store,
    chain,
    dendrite: miners,
    batches: source,
    traps,
    settings: {
      netuid: NETUID,
      network: 'torus',
      windowDays: 7,
      trapsPerCycle: 6,
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

describe('runCycle', () => {
  it('ranks a good miner above a noisy one, fails timeouts, stores canonical scores without traps and sets weights', async () => {
    const { ctx, chain, store } = setup({ good: 'good', noisy: 'noisy', flat: 'constant', slow: 'timeout' });
    const report = await runCycle(ctx);
    const byKey = new Map(report.tiers.map((t) => [t.hotkey, t]));
    expect(byKey.get('slow')!.t1).toBe(0);
    expect(byKey.get('good')!.immediate).toBeGreaterThan(byKey.get('noisy')!.immediate);
    expect(byKey.get('noisy')!.immediate).toBeGreaterThan(byKey.get('slow')!.immediate);
    expect(byKey.get('flat')!.t2).toBeLessThan(byKey.get('good')!.t2!);

    const canonical = await store.canonical('torus/2026-01-01/7');
    expect(canonical).toHaveLength(30);
    expect(canonical.every((c) => c.alertId.startsWith('r'))).toBe(true);

    // tau = 0 and labels available: tier 3 settled in the same run, final = immediate + 0.5·t3
    expect(report.settled).toBe(4);
    const settled = await store.tierResults(report.cycleId);
    const good = settled.find((t) => t.hotkey === 'good')!;
    expect(good.t3).toBeCloseTo(1, 12);
    expect(good.final).toBeCloseTo(good.immediate + 0.5, 12);

    expect(report.weights.status).toBe('included');
    const snapshot = await chain.metagraph(NETUID, { refresh: true });
    const uid = (h: string) => snapshot.neurons.find((n) => n.hotkey === h)!.uid;
    const row = new Map(await chain.weightsOf(NETUID, uid('validator')));
    expect(row.get(uid('good'))).toBe(65535);
    expect(row.get(uid('noisy')) ?? 0).toBeLessThan(65535);
    expect(row.has(uid('slow'))).toBe(false);
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
});
