import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainWeights, excessWeights } from './weights.js';

// Performances are sums of bounded means: a 1e-6 grid covers every value the validator can produce.
const perfArb = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.integer({ min: 0, max: 1e6 }).map((x) => x / 1e6),
  {
    minKeys: 1,
    maxKeys: 12,
  },
);

describe('excessWeights', () => {
  it('matches a hand computation: excesses 0.3 and 0.1 over 0.4 with α = 2 give 0.9 / 0.1', () => {
    const w = excessWeights(
      new Map([
        ['a', 0.7],
        ['b', 0.5],
        ['c', 0.4],
        ['d', 0.2],
      ]),
      0.4,
    );
    expect([...w.keys()]).toEqual(['a', 'b']);
    expect(w.get('a')).toBeCloseTo(0.9, 15);
    expect(w.get('b')).toBeCloseTo(0.1, 15);
  });

  it('drops shares under the floor and renormalises', () => {
    // excesses 0.3, 0.3, 0.02: raw 0.09, 0.09, 0.0004 → 0.0004/0.1804 ≈ 0.002 < 0.01
    const w = excessWeights(
      new Map([
        ['a', 0.8],
        ['b', 0.8],
        ['c', 0.52],
      ]),
      0.5,
      { minWeight: 0.01 },
    );
    expect([...w.keys()]).toEqual(['a', 'b']);
    expect(w.get('a')).toBeCloseTo(0.5, 15);
  });

  it('property: weights sum to 1, follow (excess_i / excess_j)^α, and ignore everything at or below the baseline', () => {
    fc.assert(
      fc.property(
        perfArb,
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.double({ min: 0.5, max: 4, noNaN: true }),
        (obj, base, alpha) => {
          const perf = new Map(Object.entries(obj));
          const w = excessWeights(perf, base, { alpha });
          const above = [...perf].filter(([, p]) => p > base);
          expect(w.size).toBe(above.length);
          if (w.size === 0) return;
          expect([...w.values()].reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
          const [k0] = [...w.keys()];
          for (const k of w.keys())
            expect(Math.log(w.get(k0)! / w.get(k)!)).toBeCloseTo(
              alpha * Math.log((perf.get(k0)! - base) / (perf.get(k)! - base)),
              6,
            );
        },
      ),
    );
  });
});

describe('chainWeights', () => {
  it('weighs serving miners by their excess over the reference', () => {
    const r = chainWeights(
      [
        { uid: 3, hotkey: 'c', performance: 0.6, serving: true },
        { uid: 1, hotkey: 'a', performance: 0.5, serving: true },
        { uid: 2, hotkey: 'b', performance: 0.9, serving: false },
        { uid: 4, hotkey: 'd', performance: 0.35, serving: true },
      ],
      0.4,
    );
    expect(r.mode).toBe('excess');
    expect(r.uids).toEqual([1, 3]);
    // excesses 0.1 and 0.2 → 0.01 : 0.04
    expect(r.weights[0]).toBeCloseTo(0.2, 12);
    expect(r.weights[1]).toBeCloseTo(0.8, 12);
  });

  it('falls back to perf^α when no miner beats the reference, and says so', () => {
    const r = chainWeights(
      [
        { uid: 10, hotkey: 'a', performance: 0.2, serving: true },
        { uid: 11, hotkey: 'b', performance: 0.1, serving: true },
      ],
      0.5,
    );
    expect(r.mode).toBe('fallback');
    expect(r.weights[0]).toBeCloseTo(0.8, 12);
    expect(chainWeights([], 0.5)).toEqual({ uids: [], weights: [], mode: 'none' });
  });

  it('orders uids numerically (uid 10 after uid 9)', () => {
    const r = chainWeights(
      [
        { uid: 10, hotkey: 'a', performance: 0.9, serving: true },
        { uid: 9, hotkey: 'b', performance: 0.8, serving: true },
      ],
      0,
    );
    expect(r.uids).toEqual([9, 10]);
  });
});
