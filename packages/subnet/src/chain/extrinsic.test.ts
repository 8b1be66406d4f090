import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { describe, expect, it } from 'vitest';
import { chainErrorReason } from './errors.js';
import { submitExtrinsic } from './extrinsic.js';

type Callback = (result: unknown) => void;

function status(type: 'Ready' | 'InBlock' | 'Finalized' | 'Invalid') {
  const hash = { toHex: () => '0xb10c' };
  return {
    type,
    isInvalid: type === 'Invalid',
    isDropped: false,
    isUsurped: false,
    isFinalityTimeout: false,
    isInBlock: type === 'InBlock',
    isFinalized: type === 'Finalized',
    asInBlock: hash,
    asFinalized: hash,
  };
}

function result(type: Parameters<typeof status>[0], dispatchError?: unknown) {
  return {
    status: status(type),
    dispatchError,
    txHash: { toHex: () => '0x7a' },
    blockNumber: { toNumber: () => 77 },
  };
}

/** A fake extrinsic that plays `script` to the status callback and records unsubscription. */
function fakeTx(script: (cb: Callback) => void, sendError?: Error) {
  const state = { unsubscribed: 0, sent: 0, period: 0 };
  const tx = {
    hash: { toHex: () => '0x7a' },
    get era() {
      return {
        isMortalEra: state.period > 0,
        asMortalEra: {
          period: { toNumber: () => state.period },
          phase: { toNumber: () => 76 % state.period },
        },
      };
    },
    signAsync: async (_signer: unknown, opts: { era: number }) => {
      state.period = opts.era;
    },
    send: (cb: Callback) => {
      state.sent++;
      if (sendError) return Promise.reject(sendError);
      queueMicrotask(() => script(cb));
      return Promise.resolve(() => {
        state.unsubscribed++;
      });
    },
  };
  return { tx: tx as never, state };
}

const api = {
  registry: {
    findMetaError: () => ({ section: 'subtensorModule', name: 'SettingWeightsTooFast', docs: ['too fast'] }),
  },
  // The best block when the era is read back after signing.
  rpc: { chain: { getHeader: async () => ({ number: { toNumber: () => 76 } }) } },
} as unknown as ApiPromise;
const signer = {} as KeyringPair;

describe('submitExtrinsic', () => {
  it('resolves on inclusion and unsubscribes', async () => {
    const { tx, state } = fakeTx((cb) => {
      cb(result('Ready'));
      cb(result('InBlock'));
    });
    const out = await submitExtrinsic(api, 'set_weights', tx, signer);
    expect(out).toEqual({
      call: 'set_weights',
      blockHash: '0xb10c',
      blockNumber: 77,
      txHash: '0x7a',
      finalized: false,
      // Signed at best block 76 with the default 32-block era.
      era: { birth: 76, period: 32 },
    });
    await Promise.resolve();
    expect(state.unsubscribed).toBe(1);
  });

  it('hands the hash and mortal era to onSigned before sending, and sends nothing when it throws', async () => {
    const { tx, state } = fakeTx((cb) => cb(result('InBlock')));
    const seen: unknown[] = [];
    await submitExtrinsic(api, 'set_weights', tx, signer, {
      eraPeriod: 20,
      onSigned: (signed) => {
        seen.push({ ...signed, sentBefore: state.sent });
      },
    });
    expect(seen).toEqual([
      { call: 'set_weights', txHash: '0x7a', era: { birth: 76, period: 32 }, sentBefore: 0 },
    ]);
    expect(state.sent).toBe(1);

    const refused = fakeTx((cb) => cb(result('InBlock')));
    const err = await submitExtrinsic(api, 'set_weights', refused.tx, signer, {
      onSigned: () => {
        throw new Error('store is down');
      },
    }).catch((e) => e);
    expect(err.message).toBe('store is down');
    expect(refused.state.sent).toBe(0);
  });

  it('waits for finality when asked', async () => {
    const { tx } = fakeTx((cb) => {
      cb(result('InBlock'));
      setTimeout(() => cb(result('Finalized')), 5);
    });
    const out = await submitExtrinsic(api, 'set_weights', tx, signer, { waitForFinality: true });
    expect(out.finalized).toBe(true);
  });

  it('names a dispatch error through the registry', async () => {
    const moduleError = {
      isModule: true,
      asModule: { index: 7, error: 2 },
      type: 'Module',
      toString: () => 'm',
    };
    const { tx } = fakeTx((cb) => cb(result('InBlock', moduleError)));
    const err = await submitExtrinsic(api, 'set_weights', tx, signer).catch((e) => e);
    expect(err.code).toBe('AML_ERR_CHAIN_TX_FAILED');
    expect(chainErrorReason(err)).toBe('SettingWeightsTooFast');
  });

  it('times out (and unsubscribes) when the extrinsic is never included', async () => {
    const { tx, state } = fakeTx((cb) => cb(result('Ready')));
    const err = await submitExtrinsic(api, 'set_weights', tx, signer, { timeoutMs: 50 }).catch((e) => e);
    expect(err.code).toBe('AML_ERR_CHAIN_TX_TIMEOUT');
    expect(err.message).toMatch(/not included in a block within 50 ms/);
    expect(state.unsubscribed).toBe(1);
  });

  it('reports pool rejections and invalid transactions', async () => {
    const { tx } = fakeTx(() => undefined, new Error('1010: Invalid Transaction: Custom error: 6'));
    const err = await submitExtrinsic(api, 'set_weights', tx, signer).catch((e) => e);
    expect(err.code).toBe('AML_ERR_CHAIN_TX_INVALID');
    expect(chainErrorReason(err)).toBe('RateLimitExceeded');
    const invalid = fakeTx((cb) => cb(result('Invalid')));
    await expect(submitExtrinsic(api, 'serve_axon', invalid.tx, signer)).rejects.toMatchObject({
      code: 'AML_ERR_CHAIN_TX_INVALID',
    });
  });
});
