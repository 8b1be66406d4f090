/**
 * Weights exactly once, in process against LocalChain (the process-level kill tests are in
 * test/validator/crash-process.test.ts): each way a submission can be cut short is replayed by
 * making one store write fail, then the step runs again and the chain's extrinsic log must show
 * the weights landed once.
 */
import { encodeAddress } from '@polkadot/util-crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LocalChain } from '../../chain/local-chain.js';
import { createLocalChainState } from '../../chain/local-chain-seed.js';
import { MemoryStore } from '../../chain/local-chain-store.js';
import type { Performance } from '../scoring/performance.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { CycleContext } from './context.js';
import type { Standing } from './standing.js';
import { revealDue, setWeightsStep } from './weights-step.js';

const NETUID = 5;
// Real SS58 addresses: the commit hash encodes the signer's account id.
const key = (i: number) => encodeAddress(new Uint8Array(32).fill(i), 42);
const [V, M1, M2] = [key(1), key(2), key(3)];
const perf = (p: number): Performance => ({
  perf: p,
  T1: 1,
  T2: p,
  T3: p,
  cycles: 1,
  settledDates: 1,
  t3FromReference: false,
});
const standing: Standing = {
  batchDate: '2026-01-01',
  reference: perf(0.5),
  miners: new Map([
    [M1, perf(0.9)],
    [M2, perf(0.7)],
  ]),
};

function setup(commitReveal = false) {
  const chainState = new MemoryStore(
    createLocalChainState(
      {
        startBlock: 1000,
        blockTimeMs: 0,
        subnets: [
          {
            netuid: NETUID,
            hyperparameters: {
              weightsSetRateLimit: 10,
              minAllowedWeights: 1,
              commitRevealEnabled: commitReveal,
              tempo: 9,
              revealPeriodEpochs: 1,
            },
            neurons: [
              { hotkey: V, coldkey: V, stake: 1000, validatorPermit: true },
              { hotkey: M1, coldkey: M1, axon: { ip: '10.0.0.1', port: 1 } },
              { hotkey: M2, coldkey: M2, axon: { ip: '10.0.0.2', port: 1 } },
            ],
          },
        ],
      },
      0,
    ),
  );
  const chain = new LocalChain(chainState, { hotkey: V });
  const store = new SqliteStore(':memory:');
  const ctx: CycleContext = {
    store,
    chain,
    dendrite: { query: async () => [] },
    batches: { load: async () => ({ batch: {} as never, source: 'x' }), labels: async () => [] },
    settings: {
      netuid: NETUID,
      network: 'torus',
      windowDays: 7,
      trapsPerCycle: 1,
      timeoutS: 1,
      concurrency: 1,
      tauDays: 0,
      eraPeriod: 8,
      eraPollMs: 5,
      eraWaitMs: 2_000,
    },
    logger: pino({ level: 'silent' }),
  };
  const step = async (cycleId = 1) =>
    setWeightsStep(ctx, cycleId, await chain.metagraph(NETUID, { refresh: true }), standing);
  /** The chain's extrinsic log: call and success of everything included. */
  const included = async () =>
    ((await chainState.read()).extrinsics ?? []).map((x) => `${x.call}@${x.block}:${x.success}`);
  const rows = async () =>
    (await store.unresolvedWeightSubmissions()).length === 0
      ? (await store.lastWeightSubmission(['set', 'commit', 'reveal']))?.status
      : 'open';
  return { ctx, chain, store, step, included, rows };
}

/**
 * A kill at a store write: the next call of `method` fails (after doing its write when `after`),
 * and from then on every store call fails, as nothing runs after a kill -9, until the step is
 * run again (the restart).
 */
function failOnce(
  ctx: CycleContext,
  method: 'recordWeightSigned' | 'resolveWeightSubmission',
  after: boolean,
) {
  const real = ctx.store;
  let dead = false;
  ctx.store = new Proxy(real, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (dead) throw new Error('killed');
        if (prop === method) {
          dead = true;
          if (after) await value.apply(target, args);
          throw new Error(`killed at ${method}`);
        }
        return value.apply(target, args);
      };
    },
  });
  return () => {
    ctx.store = real;
  };
}

describe('weights exactly once with mortal eras', () => {
  it('a submission signed and recorded but never sent is sent again once its era has closed', async () => {
    const { ctx, chain, store, step, included } = setup();
    const restart = failOnce(ctx, 'recordWeightSigned', true);
    await expect(step()).rejects.toThrow('killed');
    restart();
    const [open] = await store.unresolvedWeightSubmissions();
    expect(open).toMatchObject({ txHash: expect.stringMatching(/^0x/), era: { birth: 1000, period: 8 } });
    expect(await included()).toEqual([]);

    // Resumed while the era (blocks 1000..1007) is still open: the step waits; the chain moves on.
    const moving = (async () => {
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 20));
        await chain.advanceBlocks(2);
      }
    })();
    const outcome = await step();
    await moving;
    expect(outcome).toMatchObject({ status: 'included', kind: 'set' });
    const all = [open.id, open.id + 1];
    const db = (store as unknown as { db: { all(sql: string): Promise<Array<Record<string, unknown>>> } }).db;
    const statuses = (await db.all('SELECT id, status FROM weight_submissions ORDER BY id')).map((r) => [
      Number(r.id),
      r.status,
    ]);
    expect(statuses).toEqual([
      [all[0], 'expired'],
      [all[1], 'included'],
    ]);
    // One set_weights on chain, after the first era closed (best block > 1008).
    const log = await included();
    expect(log).toHaveLength(1);
    expect(Number(log[0].split('@')[1].split(':')[0])).toBeGreaterThan(1008);
  });

  it('waits no longer than eraWaitMs for an era that does not close, then skips without sending', async () => {
    const { ctx, store, step, included } = setup();
    const restart = failOnce(ctx, 'recordWeightSigned', true);
    await expect(step()).rejects.toThrow('killed');
    restart();
    ctx.settings.eraWaitMs = 30;
    expect(await step()).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/no known outcome/),
    });
    expect(await included()).toEqual([]);
    expect(await store.unresolvedWeightSubmissions()).toHaveLength(1);
  });

  it('a submission that landed but whose outcome was never stored is found by its hash, not sent again', async () => {
    const { ctx, store, step, included } = setup();
    const restart = failOnce(ctx, 'resolveWeightSubmission', false);
    await expect(step()).rejects.toThrow('killed at resolveWeightSubmission');
    restart();
    expect(await included()).toEqual(['set_weights@1000:true']);
    expect(await step()).toMatchObject({ status: 'included', kind: 'set' });
    expect(await included()).toEqual(['set_weights@1000:true']);
    expect((await store.lastWeightSubmission())?.detail).toMatch(/^found on chain in block 1000/);
  });

  it('an intent that was never signed is known unsent and is sent at once', async () => {
    const { ctx, store, step, included } = setup();
    const restart = failOnce(ctx, 'recordWeightSigned', false);
    await expect(step()).rejects.toThrow('killed');
    restart();
    expect((await store.unresolvedWeightSubmissions())[0].txHash).toBeNull();
    expect(await step()).toMatchObject({ status: 'included' });
    expect(await included()).toEqual(['set_weights@1000:true']);
  });

  it('commit-reveal: a lost commit drops its reveal and commits again; a lost reveal is revealed once', async () => {
    const { ctx, chain, store, step, included } = setup(true);
    let restart = failOnce(ctx, 'recordWeightSigned', true);
    await expect(step()).rejects.toThrow('killed');
    restart();
    expect(await store.pendingReveals()).toHaveLength(1);
    await chain.advanceBlocks(10); // era 1000..1007 closed
    expect(await step()).toMatchObject({ status: 'included', kind: 'commit' });
    const reveals = await store.pendingReveals();
    expect(reveals).toHaveLength(1); // the first commit's reveal was dropped
    expect(await included()).toEqual(['commit_weights@1010:true']);

    // Into the reveal epoch; the reveal is signed and recorded, then the process dies.
    const from = (reveals[0].pending as { revealFrom: number }).revealFrom;
    await chain.advanceBlocks(from - (await chain.block()));
    restart = failOnce(ctx, 'recordWeightSigned', true);
    await expect(revealDue(ctx)).rejects.toThrow('killed');
    restart();
    expect(await store.pendingReveals()).toHaveLength(1);
    const moving = chain.advanceBlocks(9).then(() => undefined);
    await moving;
    await revealDue(ctx);
    expect(await store.pendingReveals()).toEqual([]);
    expect((await included()).filter((x) => x.startsWith('reveal_weights'))).toHaveLength(1);
    expect((await included()).at(-1)).toMatch(/^reveal_weights@\d+:true$/);
  });
});
