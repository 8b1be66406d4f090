import { blake2b } from '@noble/hashes/blake2.js';
import { Keyring } from '@polkadot/keyring';
import { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { commitHash, commitPreimage, epochIndex, randomSalt, revealWindow } from './commit-reveal.js';

const registry = new TypeRegistry();
const TUPLE = '(AccountId32, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64)';

/** Reference: @polkadot/types' SCALE codec plus @noble's blake2b, independent of the module. */
function referenceHash(
  who: Uint8Array,
  netuid: number,
  uids: number[],
  values: number[],
  salt: number[],
  key: bigint,
): string {
  const encoded = registry.createType(TUPLE, [who, netuid, uids, values, salt, key]).toU8a();
  return u8aToHex(blake2b(encoded, { dkLen: 32 }));
}

let alice: Uint8Array;
let aliceAddress: string;
beforeAll(async () => {
  await cryptoWaitReady();
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
  alice = pair.publicKey;
  aliceAddress = pair.address;
});

describe('commit hash', () => {
  it('encodes the preimage byte for byte (hand-written SCALE)', () => {
    const who = new Uint8Array(32).fill(7);
    const bytes = commitPreimage(who, 1, [0], [65535], [1, 2], 3n);
    const expected = [
      ...new Array(32).fill(7),
      0x01,
      0x00, // netuid u16 LE
      0x04,
      0x00,
      0x00, // Vec<u16> [0]: compact(1) = 0x04
      0x04,
      0xff,
      0xff, // [65535]
      0x08,
      0x01,
      0x00,
      0x02,
      0x00, // [1, 2]
      0x03,
      0,
      0,
      0,
      0,
      0,
      0,
      0, // u64 LE
    ];
    expect(Array.from(bytes)).toEqual(expected);
    // 64 items switch the compact prefix to two bytes: (64 << 2) | 1 = 0x0101
    const long = commitPreimage(who, 0, new Array(64).fill(0), [], [], 0);
    expect(Array.from(long.slice(34, 36))).toEqual([0x01, 0x01]);
  });

  it('agrees with the @polkadot/types codec + noble blake2b on Alice (property)', () => {
    const u16s = fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 80 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        u16s,
        u16s,
        u16s,
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        (netuid, uids, values, salt, key) => {
          expect(commitHash(aliceAddress, netuid, uids, values, salt, key)).toBe(
            referenceHash(alice, netuid, uids, values, salt, key),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('takes an SS58 address or the raw 32 bytes alike', () => {
    expect(commitHash(aliceAddress, 1, [1], [2], [3], 4)).toBe(commitHash(alice, 1, [1], [2], [3], 4));
  });

  it('draws u16 salts', () => {
    const salt = randomSalt();
    expect(salt).toHaveLength(8);
    for (const s of salt) expect(Number.isInteger(s) && s >= 0 && s <= 65535).toBe(true);
  });
});

describe('reveal window', () => {
  it('follows epoch = (block + netuid + 1) div (tempo + 1)', () => {
    // netuid 1, tempo 9: blocks 8..17 are epoch 1, 18..27 epoch 2
    expect(epochIndex(1, 7, 9)).toBe(0);
    expect(epochIndex(1, 8, 9)).toBe(1);
    expect(epochIndex(1, 17, 9)).toBe(1);
    expect(revealWindow(1, 10, 9, 1)).toEqual({
      commitEpoch: 1,
      revealEpoch: 2,
      firstBlock: 18,
      lastBlock: 27,
    });
    expect(revealWindow(1, 10, 9, 2)).toEqual({
      commitEpoch: 1,
      revealEpoch: 3,
      firstBlock: 28,
      lastBlock: 37,
    });
  });

  it('every block of the window is in the reveal epoch and its neighbours are not (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4095 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 5 }),
        (netuid, block, tempo, period) => {
          const w = revealWindow(netuid, block, tempo, period);
          expect(epochIndex(netuid, w.firstBlock, tempo)).toBe(w.revealEpoch);
          expect(epochIndex(netuid, w.lastBlock, tempo)).toBe(w.revealEpoch);
          expect(epochIndex(netuid, w.firstBlock - 1, tempo)).toBe(w.revealEpoch - 1);
          expect(epochIndex(netuid, w.lastBlock + 1, tempo)).toBe(w.revealEpoch + 1);
        },
      ),
    );
  });
});
