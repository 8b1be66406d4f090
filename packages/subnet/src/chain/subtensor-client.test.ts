import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FakeState, fakeApi } from '../../test/support/fake-subtensor.js';
import { commitHash } from './commit-reveal.js';
import type { ChainConnection } from './connect.js';
import { chainErrorReason } from './errors.js';
import { SubtensorClient } from './subtensor-client.js';

let me: KeyringPair;
let other: KeyringPair;
beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  me = keyring.addFromUri('//Validator');
  other = keyring.addFromUri('//Miner');
});

function state(overrides: Partial<FakeState['hyper']> = {}): FakeState {
  return {
    block: 1000,
    netuid: 3,
    hyper: {
      tempo: 99,
      weightsSetRateLimit: 100,
      minAllowedWeights: 1,
      maxWeightsLimit: 65535,
      weightsVersionKey: 2,
      commitRevealWeightsEnabled: false,
      revealPeriodEpochs: 1,
      ...overrides,
    },
    neurons: [
      { hotkey: me.address, permit: true, lastUpdate: 800, stakeRao: 3e12 },
      {
        hotkey: other.address,
        permit: false,
        lastUpdate: 0,
        stakeRao: 1e9,
        axon: { ip: 167772161, port: 8091, ipType: 4, version: 7002000, protocol: 4, block: 5 },
      },
    ],
  };
}

function client(s: FakeState) {
  const { api, sent } = fakeApi(s);
  const connection: ChainConnection = {
    api,
    url: 'ws://fake',
    send: async () => null,
    isConnected: () => true,
    close: async () => undefined,
  };
  return { client: new SubtensorClient({ network: 'local', hotkey: me }, connection), sent };
}

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return `${(err as { code: string }).code}:${chainErrorReason(err)}`;
  }
}

describe('SubtensorClient (fake runtime)', () => {
  it('reads the metagraph through the runtime query', async () => {
    const { client: c } = client(state());
    const mg = await c.metagraph(3);
    expect(mg.neurons.map((n) => [n.uid, n.stake, n.validatorPermit])).toEqual([
      [0, 3000, true],
      [1, 1, false],
    ]);
    expect(mg.neurons[1].axon?.ip).toBe('10.0.0.1');
    await expect(c.metagraph(4)).rejects.toMatchObject({ code: 'AML_ERR_CHAIN_SUBNET_UNKNOWN' });
  });

  it('sends set_weights with u16 values and the subnet version key', async () => {
    const s = state();
    const { client: c, sent } = client(s);
    const tx = await c.setWeights({ netuid: 3, uids: [0, 1], weights: [0.25, 1] });
    expect(sent).toEqual([{ name: 'setWeights', args: [3, [0, 1], [16384, 65535], 2] }]);
    expect(tx).toMatchObject({ call: 'set_weights', blockNumber: 1001, blockHash: '0xfeed' });
  });

  it('refuses before sending, and names on-chain failures', async () => {
    const s = state();
    s.neurons[0].lastUpdate = 950;
    const { client: c, sent } = client(s);
    expect(await reason(c.setWeights({ netuid: 3, uids: [1], weights: [1] }))).toBe(
      'AML_ERR_CHAIN_REFUSED:SettingWeightsTooFast',
    );
    expect(sent).toHaveLength(0);
    s.failNext = 'SettingWeightsTooFast';
    expect(await reason(c.setWeights({ netuid: 3, uids: [1], weights: [1], skipPrechecks: true }))).toBe(
      'AML_ERR_CHAIN_TX_FAILED:SettingWeightsTooFast',
    );
    expect(sent).toHaveLength(1);
  });

  it('persists the salt before commit_weights and sends the matching hash, then reveals', async () => {
    const s = state({ commitRevealWeightsEnabled: true });
    const { client: c, sent } = client(s);
    const order: string[] = [];
    const { pending } = await c.commitWeights({
      netuid: 3,
      uids: [1],
      weights: [1],
      salt: [7, 8],
      persist: () => {
        order.push(`persist(sent=${sent.length})`);
      },
    });
    expect(order).toEqual(['persist(sent=0)']);
    const expectedHash = commitHash(me.address, 3, [1], [65535], [7, 8], 2);
    expect(sent[0]).toEqual({ name: 'commitWeights', args: [3, expectedHash] });
    // included at block 1001: epoch (1001+4) div 100 = 10, reveal in epoch 11 = blocks 1096..1195
    expect([pending.commitBlock, pending.revealFrom, pending.revealUntil]).toEqual([1001, 1096, 1195]);
    expect(await reason(c.revealWeights(pending))).toBe('AML_ERR_CHAIN_REFUSED:RevealTooEarly');
    s.block = 1100;
    await c.revealWeights(pending);
    expect(sent[1]).toEqual({ name: 'revealWeights', args: [3, [1], [65535], [7, 8], 2] });
  });

  it('serves an axon as a u128 and skips an unchanged one', async () => {
    const s = state();
    const { client: c, sent } = client(s);
    await c.serveAxon({ netuid: 3, version: 7002000, ip: '2001:db8::1', port: 9000 });
    expect(sent[0]).toEqual({
      name: 'serveAxon',
      args: [3, 7002000, 0x20010db8000000000000000000000001n, 9000, 6, 4, 0, 0],
    });
    const minerClient = new SubtensorClient(
      { network: 'local', hotkey: other },
      {
        api: fakeApi(s).api,
        url: 'ws://fake',
        send: async () => null,
        isConnected: () => true,
        close: async () => undefined,
      },
    );
    const same = await minerClient.serveAxon({ netuid: 3, version: 7002000, ip: '10.0.0.1', port: 8091 });
    expect(same.skipped).toBe(true);
  });

  it('needs a key pair to sign, and a connection to read', async () => {
    const noKey = new SubtensorClient({ network: 'local' });
    await expect(noKey.block()).rejects.toMatchObject({ code: 'AML_ERR_CHAIN_NOT_CONNECTED' });
    const { api } = fakeApi(state());
    const unsigned = new SubtensorClient(
      { network: 'local' },
      {
        api,
        url: 'ws://fake',
        send: async () => null,
        isConnected: () => true,
        close: async () => undefined,
      },
    );
    await expect(unsigned.setWeights({ netuid: 3, uids: [1], weights: [1] })).rejects.toMatchObject({
      code: 'AML_ERR_CHAIN_SIGNER',
    });
  });
});
