import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eraAllows, eraBirth, eraClosed, eraLastBlock, eraPeriod, eraPhase, mortalEra } from './era.js';

describe('mortal eras', () => {
  it('rounds a period up to a power of two within 4..65536, like substrate', () => {
    expect([1, 4, 5, 20, 32, 33, 100, 65_536, 1e6].map((p) => eraPeriod(p))).toEqual([
      4, 4, 8, 32, 32, 64, 128, 65_536, 65_536,
    ]);
    expect(() => eraPeriod(0)).toThrow(RangeError);
  });

  it('quantises the phase of long periods (period >> 12), as Era::mortal does', () => {
    // 65536 >> 12 = 16: block 100_005 mod 65536 = 34_469, quantised down to a multiple of 16.
    expect(eraPhase(100_005, 65_536)).toBe(34_464);
    expect(eraPhase(1000, 32)).toBe(8);
  });

  it('an era signed at a block is born at that block (short periods) and lives `period` blocks', () => {
    const era = mortalEra(1000, 16);
    expect(era).toEqual({ birth: 1000, period: 16 });
    expect(eraLastBlock(era)).toBe(1015);
    expect([999, 1000, 1015, 1016].map((b) => eraAllows(era, b))).toEqual([false, true, true, false]);
    expect([1015, 1016, 1017].map((b) => eraClosed(era, b))).toEqual([false, false, true]);
  });

  it('property: the birth is the latest block <= current with the era phase, and stays fixed for the era', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 1, max: 70_000 }), (at, p) => {
        const era = mortalEra(at, p);
        const phase = eraPhase(at, era.period);
        expect(era.birth).toBeLessThanOrEqual(at);
        expect(at - era.birth).toBeLessThan(era.period);
        expect(((era.birth % era.period) + era.period) % era.period).toBe(phase);
        // Any block still inside the era computes the same birth (what the runtime checks).
        expect(eraBirth(phase, era.period, eraLastBlock(era))).toBe(era.birth);
        expect(eraBirth(phase, era.period, eraLastBlock(era) + 1)).toBe(era.birth + era.period);
      }),
    );
  });
});
