import { describe, expect, it } from 'vitest';
import {
  hasStatefulEpochs,
  readMetagraph,
  type StorageEntryLike,
  type SubtensorQuery,
} from './metagraph-reader.js';

const c = (v: unknown) => ({ toJSON: () => v, toString: () => String(v) });
const none = { isSome: false, toJSON: () => null, toString: () => '' };
const some = (v: unknown) => ({
  isSome: true,
  unwrap: () => c(v),
  toJSON: () => v,
  toString: () => JSON.stringify(v),
});

function entry(
  get: (...args: unknown[]) => unknown,
  extra: Partial<Pick<StorageEntryLike, 'entries' | 'multi'>> = {},
): StorageEntryLike {
  const fn = (async (...args: unknown[]) => get(...args)) as StorageEntryLike;
  return Object.assign(fn, extra);
}

const HOT = ['5Hot0', '5Hot1', '5Hot2'];

/** A runtime with everything the newest subtensor has. */
function newRuntime(): SubtensorQuery {
  const axons: Record<string, unknown> = {
    '5Hot1': some({ block: 90, version: 7002000, ip: 16909060, port: 8091, ipType: 4, protocol: 4 }),
    '5Hot2': some({
      block: 91,
      version: 1,
      ip: '0x20010db8000000000000000000000001',
      port: 9000,
      ipType: 6,
      protocol: 4,
    }),
  };
  return {
    networksAdded: entry(() => c(true)),
    tempo: entry(() => c(360)),
    weightsSetRateLimit: entry(() => c(100)),
    minAllowedWeights: entry(() => c(1)),
    maxWeightsLimit: entry(() => c(65535)),
    weightsVersionKey: entry(() => c(0)),
    commitRevealWeightsEnabled: entry(() => c(true)),
    subnetworkN: entry(() => c(3)),
    revealPeriodEpochs: entry(() => c(1)),
    subnetEpochIndex: entry(() => c(5)),
    // entries come back unordered, as storage iteration does
    keys: entry(() => c(null), {
      entries: async () =>
        [2, 0, 1].map(
          (uid) =>
            [{ args: [c(1), c(uid)] }, c(HOT[uid])] as [
              { args: ReturnType<typeof c>[] },
              ReturnType<typeof c>,
            ],
        ),
    }),
    validatorPermit: entry(() => c([true, false, false])),
    active: entry(() => c([true, true, false])),
    lastUpdate: entry(() => c([950, 0, 12])),
    axons: entry((_n, h) => axons[h as string] ?? none, {
      multi: async (args: unknown[]) => args.map((a) => (axons[(a as [number, string])[1]] ?? none) as never),
    }),
    totalHotkeyAlpha: entry(() => c(0), {
      multi: async (args: unknown[]) =>
        args.map((a) => c([5e12, 2e9, 0][HOT.indexOf((a as [string])[0])]) as never),
    }),
    owner: entry(() => c(''), {
      multi: async (args: unknown[]) => args.map((h) => c(`cold-of-${h}`) as never),
    }),
  };
}

describe('readMetagraph', () => {
  it('decodes a runtime with TotalHotkeyAlpha, Owner and RevealPeriodEpochs', async () => {
    const q = newRuntime();
    const mg = await readMetagraph(q, 1, 1000, 42);
    expect(mg.block).toBe(1000);
    expect(
      mg.neurons.map((n) => [n.uid, n.hotkey, n.coldkey, n.stake, n.validatorPermit, n.active, n.lastUpdate]),
    ).toEqual([
      [0, '5Hot0', 'cold-of-5Hot0', 5000, true, true, 950],
      [1, '5Hot1', 'cold-of-5Hot1', 2, false, true, 0],
      [2, '5Hot2', 'cold-of-5Hot2', 0, false, false, 12],
    ]);
    expect(mg.neurons[0].axon).toBeNull();
    expect(mg.neurons[1].axon).toEqual({
      ip: '1.2.3.4',
      port: 8091,
      ipType: 4,
      version: 7002000,
      protocol: 4,
      block: 90,
    });
    expect(mg.neurons[2].axon?.ip).toBe('2001:db8::1');
    expect(mg.hyperparameters).toEqual({
      tempo: 360,
      weightsSetRateLimit: 100,
      minAllowedWeights: 1,
      maxWeightsLimit: 65535,
      weightsVersionKey: 0,
      commitRevealEnabled: true,
      subnetworkN: 3,
      revealPeriodEpochs: 1,
    });
    expect(hasStatefulEpochs(q)).toBe(true);
  });

  it('falls back to the older Stake map and tolerates missing optional storage', async () => {
    const q = newRuntime();
    delete q.totalHotkeyAlpha;
    delete q.revealPeriodEpochs;
    delete q.commitRevealWeightsEnabled;
    delete q.subnetEpochIndex;
    delete q.owner;
    q.stake = entry(() => c(0), {
      entries: async (hotkey: unknown) =>
        hotkey === '5Hot0'
          ? [
              [{ args: [] }, c(1e9)],
              [{ args: [] }, c(5e8)],
            ]
          : [],
    });
    const mg = await readMetagraph(q, 1, 1000, 0);
    expect(mg.neurons.map((n) => n.stake)).toEqual([1.5, 0, 0]);
    expect(mg.neurons[0].coldkey).toBeUndefined();
    expect(mg.hyperparameters.commitRevealEnabled).toBe(false);
    expect(mg.hyperparameters.revealPeriodEpochs).toBeUndefined();
    expect(hasStatefulEpochs(q)).toBe(false);
  });

  it('names missing core storage and unknown subnets', async () => {
    const q = newRuntime();
    delete q.lastUpdate;
    await expect(readMetagraph(q, 1, 1, 0)).rejects.toThrow(/no storage SubtensorModule.LastUpdate/);
    const r = newRuntime();
    r.networksAdded = entry(() => c(false));
    await expect(readMetagraph(r, 9, 1, 0)).rejects.toMatchObject({ code: 'AML_ERR_CHAIN_SUBNET_UNKNOWN' });
  });
});
