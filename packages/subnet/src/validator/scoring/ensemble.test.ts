import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateCanonical, ensembleWeights } from './ensemble.js';

const perfArb = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.double({ min: 0, max: 1, noNaN: true }),
  { minKeys: 1, maxKeys: 12 },
);

describe('ensembleWeights', () => {
  it('matches a hand computation: perf 0.5 and 0.25 with alpha 2 give 0.8 / 0.2', () => {
    const w = ensembleWeights(
      new Map([
        ['a', 0.5],
        ['b', 0.25],
      ]),
    );
    expect(w.get('a')).toBeCloseTo(0.8, 15);
    expect(w.get('b')).toBeCloseTo(0.2, 15);
  });

  it('drops weights under 0.01 and renormalises the rest', () => {
    // raw: 1, 1, 0.0081 (0.09^2) → 0.0081/2.0081 ≈ 0.004 < 0.01 → dropped
    const w = ensembleWeights(
      new Map([
        ['a', 0.9],
        ['b', 0.9],
        ['c', 0.09 * 0.9],
      ]),
    );
    expect(w.has('c')).toBe(false);
    expect(w.get('a')).toBeCloseTo(0.5, 15);
    expect(w.get('b')).toBeCloseTo(0.5, 15);
  });

  it('excludes miners with zero, negative or NaN performance', () => {
    const w = ensembleWeights(
      new Map([
        ['a', 0],
        ['b', Number.NaN],
        ['c', 0.3],
      ]),
    );
    expect([...w.keys()]).toEqual(['c']);
    expect(w.get('c')).toBe(1);
  });

  it('property: weights sum to 1, each is at least the floor, and order follows performance', () => {
    fc.assert(
      fc.property(perfArb, (obj) => {
        const perf = new Map(Object.entries(obj));
        const w = ensembleWeights(perf);
        const positives = [...perf.values()].filter((p) => p > 0);
        if (positives.length === 0) {
          expect(w.size).toBe(0);
          return;
        }
        const sum = [...w.values()].reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 12);
        for (const v of w.values()) expect(v).toBeGreaterThanOrEqual(0.01 - 1e-15);
        const kept = [...w.keys()];
        for (const a of kept)
          for (const b of kept) {
            if (perf.get(a)! > perf.get(b)!) expect(w.get(a)!).toBeGreaterThan(w.get(b)!);
          }
        // a miner with higher performance than a kept one is kept too
        const minKept = Math.min(...kept.map((k) => perf.get(k)!));
        for (const [k, p] of perf) if (p > minKept) expect(w.has(k)).toBe(true);
      }),
    );
  });

  it('property: ratios of kept weights follow (p_i / p_j)^alpha', () => {
    fc.assert(
      fc.property(perfArb, fc.double({ min: 0.5, max: 4, noNaN: true }), (obj, alpha) => {
        const perf = new Map(Object.entries(obj));
        const w = ensembleWeights(perf, { alpha });
        const kept = [...w.keys()];
        for (let i = 1; i < kept.length; i++) {
          const a = kept[0];
          const b = kept[i];
          expect(w.get(a)! / w.get(b)!).toBeCloseTo((perf.get(a)! / perf.get(b)!) ** alpha, 6);
        }
      }),
    );
  });
});

describe('aggregateCanonical', () => {
  it('is the weighted mean with its weighted std and miner count, skipping unscored alerts', () => {
    const weights = new Map([
      ['a', 0.75],
      ['b', 0.25],
    ]);
    const out = aggregateCanonical(
      3,
      [
        { minerId: 'a', scores: [0.2, 0.4, Number.NaN] },
        { minerId: 'b', scores: [0.6, 0.4, Number.NaN] },
        { minerId: 'unweighted', scores: [1, 1, 1] },
      ],
      weights,
    );
    expect(out.score[0]).toBeCloseTo(0.75 * 0.2 + 0.25 * 0.6, 15);
    // weighted variance: 0.75·(0.2−0.3)² + 0.25·(0.6−0.3)² = 0.0075 + 0.0225 = 0.03
    expect(out.std[0]).toBeCloseTo(Math.sqrt(0.03), 12);
    expect(out.score[1]).toBeCloseTo(0.4, 15);
    expect(out.std[1]).toBeCloseTo(0, 7);
    expect(Array.from(out.minerCount)).toEqual([2, 2, 0]);
    expect(out.score[2]).toBeNaN();
  });

  it('property: the canonical score lies between the smallest and largest miner score', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0.01, max: 1, noNaN: true }),
            fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        (miners) => {
          const answers = miners.map(([, scores], i) => ({ minerId: `m${i}`, scores }));
          const weights = new Map(miners.map(([w], i) => [`m${i}`, w]));
          const out = aggregateCanonical(5, answers, weights);
          for (let j = 0; j < 5; j++) {
            const col = answers.map((a) => a.scores[j]);
            expect(out.score[j]).toBeGreaterThanOrEqual(Math.min(...col) - 1e-12);
            expect(out.score[j]).toBeLessThanOrEqual(Math.max(...col) + 1e-12);
          }
        },
      ),
    );
  });
});
