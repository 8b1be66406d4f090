import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashSeed, Rng, WeightedSampler } from './random.js';

describe('Rng', () => {
  it('is deterministic per seed and label, and differs across seeds and labels', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (s1, s2) => {
        const a = new Rng(s1);
        const b = new Rng(s1);
        const xs = Array.from({ length: 8 }, () => a.nextUint32());
        expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(xs);
        if (s1 !== s2) {
          const c = new Rng(s2);
          expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(xs);
        }
      }),
      { numRuns: 50 },
    );
    const x = new Rng(1, 'a').nextUint32();
    expect(new Rng(1, 'b').nextUint32()).not.toBe(x);
    expect(hashSeed(2 ** 40)).not.toBe(hashSeed(0));
  });

  it('keeps every draw in its documented range', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        (seed, lo, span) => {
          const r = new Rng(seed);
          for (let i = 0; i < 50; i++) {
            const u = r.next();
            expect(u >= 0 && u < 1).toBe(true);
            const k = r.int(lo, lo + span);
            expect(Number.isInteger(k) && k >= lo && k <= lo + span).toBe(true);
            expect(r.lognormal(0, 1)).toBeGreaterThan(0);
            expect(r.poisson(3)).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('matches the moments of its distributions', () => {
    const r = new Rng(42);
    const n = 40_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let sp = 0;
    let sl = 0;
    for (let i = 0; i < n; i++) {
      su += r.next();
      const z = r.normal(2, 3);
      sn += z;
      sn2 += (z - 2) ** 2;
      sp += r.poisson(4.5);
      sl += Math.log(r.lognormal(1, 0.5));
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(2, 1);
    expect(Math.sqrt(sn2 / n)).toBeCloseTo(3, 1);
    expect(sp / n).toBeCloseTo(4.5, 1);
    expect(sl / n).toBeCloseTo(1, 1);
    // large-mean Poisson uses the normal approximation: mean still right
    let big = 0;
    for (let i = 0; i < 2000; i++) big += r.poisson(500);
    expect(big / 2000).toBeGreaterThan(495);
    expect(big / 2000).toBeLessThan(505);
  });

  it('shuffles to a permutation and chooses members', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer(), { minLength: 1, maxLength: 40 }), (seed, xs) => {
        const r = new Rng(seed);
        const copy = r.shuffle([...xs]);
        expect([...copy].sort((a, b) => a - b)).toEqual([...xs].sort((a, b) => a - b));
        expect(xs).toContain(r.choice(xs));
      }),
    );
    expect(() => new Rng(1).choice([])).toThrow();
  });

  it('draws weighted indices in proportion to the weights', () => {
    const r = new Rng(9);
    const w = [1, 0, 3];
    const sampler = new WeightedSampler(w);
    const counts = [0, 0, 0];
    const counts2 = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      counts[r.weightedIndex(w)]++;
      counts2[sampler.sample(r)]++;
    }
    expect(counts[1]).toBe(0);
    expect(counts2[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeCloseTo(3, 0);
    expect(counts2[2] / counts2[0]).toBeCloseTo(3, 0);
  });
});
