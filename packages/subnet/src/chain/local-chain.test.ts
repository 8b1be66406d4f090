import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAddress } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainErrorReason } from './errors.js';
import { LocalChain } from './local-chain.js';
import type { LocalChainSeed } from './local-chain-seed.js';
import type { PendingCommit } from './types.js';

const key = (i: number) => encodeAddress(new Uint8Array(32).fill(i), 42);
const V = key(1);
const M1 = key(2);
const M2 = key(3);
const M3 = key(4);
const COLD = key(9);

function seed(overrides: Partial<LocalChainSeed> = {}): LocalChainSeed {
  return {
    startBlock: 100,
    balances: { [COLD]: 10 },
    subnets: [
      {
        netuid: 1,
        burn: 1,
        hyperparameters: { tempo: 9, weightsSetRateLimit: 10, minAllowedWeights: 2, servingRateLimit: 5 },
        neurons: [
          { hotkey: V, coldkey: COLD, stake: 1000, validatorPermit: true },
          { hotkey: M1, coldkey: COLD, stake: 5, axon: { ip: '10.0.0.1', port: 8091, version: 7002000 } },
          { hotkey: M2, coldkey: COLD },
          { hotkey: M3, coldkey: COLD },
        ],
      },
    ],
    ...overrides,
  };
}

/** The runtime error name a promise rejects with, prefixed by whether it was a pre-check. */
async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const kind =
      code === 'AML_ERR_CHAIN_REFUSED' ? 'refused' : code === 'AML_ERR_CHAIN_TX_FAILED' ? 'failed' : code;
    return `${kind}:${chainErrorReason(err)}`;
  }
  return 'ok';
}

describe('LocalChain metagraph', () => {
  it('reflects the seed', async () => {
    const chain = LocalChain.inMemory(seed());
    const mg = await chain.metagraph(1);
    expect(mg.block).toBe(100);
    expect(mg.neurons.map((n) => [n.uid, n.hotkey, n.stake, n.validatorPermit])).toEqual([
      [0, V, 1000, true],
      [1, M1, 5, false],
      [2, M2, 0, false],
      [3, M3, 0, false],
    ]);
    expect(mg.neurons[1].axon).toMatchObject({ ip: '10.0.0.1', port: 8091, ipType: 4, protocol: 4 });
    expect(mg.neurons[2].axon).toBeNull();
    expect(mg.hyperparameters).toMatchObject({ tempo: 9, weightsSetRateLimit: 10, subnetworkN: 4 });
  });

  it('advances blocks with the clock and by hand', async () => {
    let now = 1_000_000;
    const chain = LocalChain.inMemory(seed({ blockTimeMs: 12_000 }), { now: () => now });
    expect(await chain.block()).toBe(100);
    now += 36_000;
    expect(await chain.block()).toBe(103);
    expect(await chain.advanceBlocks(5)).toBe(108);
  });
});

describe('LocalChain set_weights', () => {
  it('stores u16 weights and enforces the rate limit, before sending and on chain', async () => {
    const chain = LocalChain.inMemory(seed(), { hotkey: V });
    const tx = await chain.setWeights({ netuid: 1, uids: [1, 2, 3], weights: [0.5, 1, 0] });
    expect(tx.blockNumber).toBe(100);
    expect(await chain.weightsOf(1, 0)).toEqual([
      [1, 32768],
      [2, 65535],
    ]);
    expect((await chain.metagraph(1)).neurons[0].lastUpdate).toBe(100);
    const again = { netuid: 1, uids: [1, 2], weights: [1, 1] };
    expect(await reason(chain.setWeights(again))).toBe('refused:SettingWeightsTooFast');
    expect(await reason(chain.setWeights({ ...again, skipPrechecks: true }))).toBe(
      'failed:SettingWeightsTooFast',
    );
    await chain.advanceBlocks(9);
    expect(await reason(chain.setWeights(again))).toBe('refused:SettingWeightsTooFast');
    await chain.advanceBlocks(1);
    expect(await reason(chain.setWeights(again))).toBe('ok');
  });

  it('refuses without a validator permit, below min allowed weights and with an old version key', async () => {
    const chain = LocalChain.inMemory(seed(), { hotkey: V });
    const miner = chain.withHotkey(M1);
    const w = { netuid: 1, uids: [0, 2], weights: [1, 1] };
    expect(await reason(miner.setWeights(w))).toBe('refused:NeuronNoValidatorPermit');
    expect(await reason(miner.setWeights({ ...w, skipPrechecks: true }))).toBe(
      'failed:NeuronNoValidatorPermit',
    );
    // a self weight needs no permit
    expect(await reason(miner.setWeights({ netuid: 1, uids: [1], weights: [1] }))).toBe('ok');
    const one = { netuid: 1, uids: [1, 2], weights: [1, 0] };
    expect(await reason(chain.setWeights(one))).toBe('refused:WeightVecLengthIsLow');
    expect(await reason(chain.setWeights({ ...one, skipPrechecks: true }))).toBe(
      'failed:WeightVecLengthIsLow',
    );
    expect(await reason(chain.setWeights({ netuid: 1, uids: [1, 7], weights: [1, 1] }))).toBe(
      'refused:UidVecContainInvalidOne',
    );
    await chain.setHyperparameters(1, { weightsVersionKey: 7 });
    expect(await reason(chain.setWeights({ netuid: 1, uids: [1, 2], weights: [1, 1], versionKey: 6 }))).toBe(
      'refused:IncorrectWeightVersionKey',
    );
    expect(
      await reason(
        chain.setWeights({ netuid: 1, uids: [1, 2], weights: [1, 1], versionKey: 6, skipPrechecks: true }),
      ),
    ).toBe('failed:IncorrectWeightVersionKey');
    // the default version key is the subnet's
    expect(await reason(chain.setWeights({ netuid: 1, uids: [1, 2], weights: [1, 1] }))).toBe('ok');
  });
});

describe('LocalChain commit-reveal', () => {
  async function crChain() {
    const chain = LocalChain.inMemory(seed(), { hotkey: V });
    await chain.setHyperparameters(1, { commitRevealEnabled: true, revealPeriodEpochs: 1 });
    return chain;
  }

  it('commits, refuses early and wrong-salt reveals, then reveals in the window', async () => {
    const chain = await crChain();
    expect(await reason(chain.setWeights({ netuid: 1, uids: [1, 2], weights: [1, 2] }))).toBe(
      'refused:CommitRevealEnabled',
    );
    expect(
      await reason(chain.setWeights({ netuid: 1, uids: [1, 2], weights: [1, 2], skipPrechecks: true })),
    ).toBe('failed:CommitRevealEnabled');
    const persisted: PendingCommit[] = [];
    const { pending } = await chain.commitWeights({
      netuid: 1,
      uids: [1, 2],
      weights: [1, 2],
      persist: (p) => {
        persisted.push(p);
      },
    });
    expect(persisted).toHaveLength(1);
    expect(persisted[0].salt).toEqual(pending.salt);
    // netuid 1, tempo 9: block 100 is epoch (100+2) div 10 = 10; reveal epoch 11 = blocks 108..117
    expect([pending.commitBlock, pending.revealFrom, pending.revealUntil]).toEqual([100, 108, 117]);
    expect(await reason(chain.revealWeights(pending))).toBe('refused:RevealTooEarly');
    expect(await reason(chain.revealWeights(pending, { skipPrechecks: true }))).toBe('failed:RevealTooEarly');
    await chain.advanceBlocks(8);
    const wrongSalt = { ...pending, salt: pending.salt.map((s) => (s + 1) % 65536) };
    expect(await reason(chain.revealWeights(wrongSalt))).toBe('failed:InvalidRevealCommitHashNotMatch');
    const otherWeights = { ...pending, values: [65535, 65535] };
    expect(await reason(chain.revealWeights(otherWeights))).toBe('failed:InvalidRevealCommitHashNotMatch');
    expect(await reason(chain.revealWeights(pending))).toBe('ok');
    expect(await chain.weightsOf(1, 0)).toEqual([
      [1, 32768],
      [2, 65535],
    ]);
    // the commit is consumed
    expect(await reason(chain.revealWeights(pending, { skipPrechecks: true }))).toBe(
      'failed:NoWeightsCommitFound',
    );
  });

  it('refuses commits too fast and reveals after the window', async () => {
    const chain = await crChain();
    const request = { netuid: 1, uids: [1, 2], weights: [1, 1], persist: () => undefined };
    const { pending } = await chain.commitWeights(request);
    expect(await reason(chain.commitWeights(request))).toBe('refused:CommittingWeightsTooFast');
    expect(await reason(chain.commitWeights({ ...request, skipPrechecks: true }))).toBe(
      'failed:CommittingWeightsTooFast',
    );
    await chain.advanceBlocks(pending.revealUntil + 1 - 100);
    expect(await reason(chain.revealWeights(pending))).toBe('refused:ExpiredWeightCommit');
    expect(await reason(chain.revealWeights(pending, { skipPrechecks: true }))).toBe(
      'failed:ExpiredWeightCommit',
    );
  });

  it('sends nothing when the salt cannot be persisted', async () => {
    const chain = await crChain();
    const failing = {
      netuid: 1,
      uids: [1, 2],
      weights: [1, 1],
      persist: () => {
        throw new Error('disk full');
      },
    };
    await expect(chain.commitWeights(failing)).rejects.toThrow('disk full');
    // no commit reached the chain, so the rate limit was not consumed
    expect((await chain.metagraph(1, { refresh: true })).neurons[0].lastUpdate).toBe(0);
    expect(await reason(chain.commitWeights({ ...failing, persist: () => undefined }))).toBe('ok');
  });
});

describe('LocalChain serve_axon and registration', () => {
  it('reflects serve_axon in the metagraph and applies the serving rules', async () => {
    const chain = LocalChain.inMemory(seed(), { hotkey: M2 });
    await chain.serveAxon({ netuid: 1, version: 7002000, ip: '127.0.0.1', port: 9000 });
    const axon = (await chain.metagraph(1)).neurons[2].axon;
    expect(axon).toEqual({
      ip: '127.0.0.1',
      port: 9000,
      ipType: 4,
      version: 7002000,
      protocol: 4,
      block: 100,
    });
    expect(
      (await chain.serveAxon({ netuid: 1, version: 7002000, ip: '127.0.0.1', port: 9000 })).skipped,
    ).toBe(true);
    const moved = { netuid: 1, version: 7002000, ip: '2001:db8::5', port: 9001 };
    expect(await reason(chain.serveAxon(moved))).toBe('refused:ServingRateLimitExceeded');
    expect(await reason(chain.serveAxon({ ...moved, skipPrechecks: true }))).toBe(
      'failed:ServingRateLimitExceeded',
    );
    await chain.advanceBlocks(5);
    await chain.serveAxon(moved);
    expect((await chain.metagraph(1)).neurons[2].axon).toMatchObject({
      ip: '2001:db8::5',
      ipType: 6,
      block: 105,
    });
    expect(await reason(chain.withHotkey(key(30)).serveAxon(moved))).toBe(
      'refused:HotKeyNotRegisteredInNetwork',
    );
    await expect(chain.serveAxon({ ...moved, port: 0 })).rejects.toThrow(/port 0/);
  });

  it('rejects loopback axons when strict like the runtime', async () => {
    const chain = LocalChain.inMemory(seed({ strictIp: true }), { hotkey: M2 });
    expect(await reason(chain.serveAxon({ netuid: 1, version: 1, ip: '127.0.0.1', port: 9000 }))).toBe(
      'failed:InvalidIpAddress',
    );
  });

  it('registers by burning from the coldkey', async () => {
    const chain = LocalChain.inMemory(seed());
    const fresh = key(20);
    await chain.burnedRegister(1, fresh, { address: COLD });
    const mg = await chain.metagraph(1, { refresh: true });
    expect(mg.neurons[4]).toMatchObject({ uid: 4, hotkey: fresh, coldkey: COLD, lastUpdate: 100 });
    expect(mg.hyperparameters.subnetworkN).toBe(5);
    expect(await reason(chain.burnedRegister(1, fresh, { address: COLD }))).toBe(
      'failed:HotKeyAlreadyRegisteredInSubNet',
    );
    expect(await reason(chain.burnedRegister(1, key(21), { address: key(22) }))).toBe(
      'failed:NotEnoughBalanceToStake',
    );
    expect(await reason(chain.burnedRegister(7, key(21), { address: COLD }))).toBe(
      'failed:SubNetworkDoesNotExist',
    );
  });
});

describe('LocalChain file store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aml-localchain-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shares state across instances and serialises concurrent writers', async () => {
    const path = join(dir, 'chain.json');
    const validator = await LocalChain.createFile(path, seed(), { hotkey: V });
    const proxy = LocalChain.openFile(path, { hotkey: M3 });
    await validator.setWeights({ netuid: 1, uids: [1, 3], weights: [1, 3] });
    await proxy.serveAxon({ netuid: 1, version: 1, ip: '192.168.1.7', port: 8092 });
    const seenByProxy = await proxy.weightsOf(1, 0);
    expect(seenByProxy).toEqual([
      [1, 21845],
      [3, 65535],
    ]);
    const seenByValidator = await validator.metagraph(1, { refresh: true });
    expect(seenByValidator.neurons[3].axon?.ip).toBe('192.168.1.7');
    const reopened = LocalChain.openFile(path);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? validator : reopened).advanceBlocks(1)),
    );
    expect(await proxy.block()).toBe(120);
  });

  it('names a missing or corrupt state file', async () => {
    await expect(LocalChain.openFile(join(dir, 'missing.json')).connect()).rejects.toThrow(/cannot be read/);
  });
});
