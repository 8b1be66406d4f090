import type { ApiPromise } from '@polkadot/api';
import { describe, expect, it } from 'vitest';
import { findExtrinsicInBlocks } from './inclusion.js';

const hex = (s: string) => ({ toHex: () => s });

/** Blocks 100..best, each a list of extrinsic hashes; `failed` marks extrinsic indexes whose dispatch failed. */
function fakeApi(best: number, blocks: Record<number, string[]>, failed: Record<number, number[]> = {}) {
  const reads: number[] = [];
  const api = {
    rpc: {
      chain: {
        getHeader: async () => ({ number: { toNumber: () => best } }),
        getBlockHash: async (n: number) => {
          reads.push(n);
          return hex(`0xb${n}`);
        },
        getBlock: async (hash: string) => ({
          block: { extrinsics: (blocks[Number(hash.slice(3))] ?? []).map((h) => ({ hash: hex(h) })) },
        }),
      },
    },
    at: async (hash: string) => ({
      query: {
        system: {
          events: async () =>
            (blocks[Number(hash.slice(3))] ?? []).map((_, i) => ({
              phase: { isApplyExtrinsic: true, asApplyExtrinsic: { toNumber: () => i } },
              event: {
                section: 'system',
                method: failed[Number(hash.slice(3))]?.includes(i) ? 'ExtrinsicFailed' : 'ExtrinsicSuccess',
                data: [{ isModule: true, asModule: {}, type: 'Module', toString: () => 'm' }],
              },
            })),
        },
      },
    }),
    registry: {
      findMetaError: () => ({ section: 'subtensorModule', name: 'SettingWeightsTooFast', docs: [] }),
    },
  };
  return { api: api as unknown as ApiPromise, reads };
}

describe('findExtrinsicInBlocks', () => {
  it('finds the extrinsic in its era and reads its dispatch outcome from the events', async () => {
    const { api } = fakeApi(110, { 103: ['0xaa', '0xbb'], 105: ['0xcc'] }, { 103: [1] });
    const era = { birth: 100, period: 8 };
    expect(await findExtrinsicInBlocks(api, '0xaa', era)).toEqual({
      blockNumber: 103,
      blockHash: '0xb103',
      success: true,
      error: undefined,
    });
    expect(await findExtrinsicInBlocks(api, '0xbb', era)).toMatchObject({
      success: false,
      error: 'SettingWeightsTooFast',
    });
  });

  it('reports a found extrinsic whose block state was pruned as landed with an unknown outcome', async () => {
    const { api } = fakeApi(110, { 101: ['0xaa'] });
    (api as unknown as { at: () => Promise<never> }).at = async () => {
      throw new Error('State already discarded');
    };
    expect(await findExtrinsicInBlocks(api, '0xaa', { birth: 100, period: 8 })).toMatchObject({
      blockNumber: 101,
      success: true,
      outcomeUnknown: 'State already discarded',
    });
  });

  it('searches only birth..min(best, last block of the era)', async () => {
    const late = fakeApi(120, { 108: ['0xaa'] }); // 108 is past the era 100..107
    expect(await findExtrinsicInBlocks(late.api, '0xaa', { birth: 100, period: 8 })).toBeUndefined();
    expect(late.reads).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
    const early = fakeApi(102, {});
    expect(await findExtrinsicInBlocks(early.api, '0xaa', { birth: 100, period: 8 })).toBeUndefined();
    expect(early.reads).toEqual([100, 101, 102]);
  });
});
