import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateCanonical } from './ensemble.js';

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
