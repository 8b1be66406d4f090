/**
 * LocalChain signs every extrinsic with a mortal era and rejects one applied after the era's last
 * block, as a real node does; included extrinsics (failed dispatches too) are found by hash.
 */
import { encodeAddress } from '@polkadot/util-crypto';
import { describe, expect, it } from 'vitest';
import { chainErrorReason } from './errors.js';
import { LocalChain } from './local-chain.js';
import type { LocalChainSeed } from './local-chain-seed.js';
import type { SignedExtrinsic } from './types.js';

const key = (i: number) => encodeAddress(new Uint8Array(32).fill(i), 42);
const V = key(1);

const seed: LocalChainSeed = {
  startBlock: 500,
  subnets: [
    {
      netuid: 1,
      hyperparameters: { weightsSetRateLimit: 10, minAllowedWeights: 1 },
      neurons: [
        { hotkey: V, coldkey: V, stake: 1000, validatorPermit: true },
        { hotkey: key(2), coldkey: key(2), axon: { ip: '10.0.0.1', port: 8091 } },
      ],
    },
  ],
};

const weights = { netuid: 1, uids: [1], weights: [1] };

describe('LocalChain mortal eras', () => {
  it('reports hash and era before applying, and the chain finds the extrinsic afterwards', async () => {
    const chain = LocalChain.inMemory(seed, { hotkey: V });
    let signed: SignedExtrinsic | undefined;
    let lastUpdateAtSigning = -1;
    const tx = await chain.setWeights({
      ...weights,
      eraPeriod: 8,
      onSigned: async (s) => {
        signed = s;
        lastUpdateAtSigning = (await chain.metagraph(1, { refresh: true })).neurons[0].lastUpdate;
      },
    });
    expect(signed?.era).toEqual({ birth: 500, period: 8 });
    expect(lastUpdateAtSigning).toBe(0); // not applied yet when onSigned ran
    expect(tx).toMatchObject({ txHash: signed?.txHash, blockNumber: 500, era: { birth: 500, period: 8 } });
    expect(await chain.findExtrinsic(tx.txHash, tx.era!)).toMatchObject({ blockNumber: 500, success: true });
    // Another hash, or the same hash outside its era, is not found.
    expect(await chain.findExtrinsic(`0x${'00'.repeat(32)}`, tx.era!)).toBeUndefined();
    expect(await chain.findExtrinsic(tx.txHash, { birth: 501, period: 8 })).toBeUndefined();
  });

  it('rejects an extrinsic whose era passed between signing and sending, and changes nothing', async () => {
    const chain = LocalChain.inMemory(seed, { hotkey: V });
    let signed: SignedExtrinsic | undefined;
    const err = await chain
      .setWeights({
        ...weights,
        eraPeriod: 4,
        onSigned: async (s) => {
          signed = s;
          await chain.advanceBlocks(4); // blocks 500..503 were its era; now 504
        },
      })
      .catch((e) => e);
    expect(err.code).toBe('AML_ERR_CHAIN_TX_INVALID');
    expect(chainErrorReason(err)).toBe('Stale');
    expect(err.message).toMatch(/era \(blocks 500\.\.503\) is over at block 504/);
    expect((await chain.metagraph(1, { refresh: true })).neurons[0].lastUpdate).toBe(0);
    expect(await chain.weightsOf(1, 0)).toEqual([]);
    expect(await chain.findExtrinsic(signed!.txHash, signed!.era)).toBeUndefined();
  });

  it('still applies at the era’s last block', async () => {
    const chain = LocalChain.inMemory(seed, { hotkey: V });
    const tx = await chain.setWeights({
      ...weights,
      eraPeriod: 4,
      onSigned: () => chain.advanceBlocks(3).then(() => undefined),
    });
    expect(tx.blockNumber).toBe(503);
  });

  it('includes a failed dispatch (found, success false) like a block would', async () => {
    const chain = LocalChain.inMemory(seed, { hotkey: V });
    await chain.setWeights(weights);
    let signed: SignedExtrinsic | undefined;
    const err = await chain
      .setWeights({
        ...weights,
        skipPrechecks: true,
        onSigned: (s) => {
          signed = s;
        },
      })
      .catch((e) => e);
    expect(chainErrorReason(err)).toBe('SettingWeightsTooFast');
    expect(await chain.findExtrinsic(signed!.txHash, signed!.era)).toMatchObject({
      blockNumber: 500,
      success: false,
      error: 'SettingWeightsTooFast',
    });
  });

  it('aborts the send when onSigned throws: nothing reaches the chain', async () => {
    const chain = LocalChain.inMemory(seed, { hotkey: V });
    await expect(
      chain.setWeights({
        ...weights,
        onSigned: () => {
          throw new Error('store is down');
        },
      }),
    ).rejects.toThrow('store is down');
    expect((await chain.metagraph(1, { refresh: true })).neurons[0].lastUpdate).toBe(0);
  });
});
