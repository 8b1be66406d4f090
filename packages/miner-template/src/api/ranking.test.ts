import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignRanks } from './ranking.js';

/** Reference: an alert's rank is 1 + the number of alerts that must come before it. */
function referenceRank(ids: string[], scores: number[], i: number): number {
  let before = 0;
  for (let j = 0; j < ids.length; j++) {
    if (j === i) continue;
    const a = scores[i];
    const b = scores[j];
    const jFirst =
      Number.isNaN(a) && !Number.isNaN(b)
        ? true
        : !Number.isNaN(a) && Number.isNaN(b)
          ? false
          : (Number.isNaN(a) && Number.isNaN(b)) || a === b
            ? ids[j] < ids[i]
            : b > a;
    if (jFirst) before++;
  }
  return before + 1;
}

describe('assignRanks', () => {
  it('ranks 1 = highest score, ties by alert_id', () => {
    const ranks = assignRanks(['b', 'c', 'a', 'd'], [0.5, 0.9, 0.5, 0.1]);
    expect(ranks).toEqual([
      { alert_id: 'c', rank: 1, score: 0.9 },
      { alert_id: 'a', rank: 2, score: 0.5 },
      { alert_id: 'b', rank: 3, score: 0.5 },
      { alert_id: 'd', rank: 4, score: 0.1 },
    ]);
  });

  it('matches the pairwise reference on random inputs, NaN last', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 0, maxLength: 40 }),
        fc.array(
          fc.oneof(fc.constantFrom(0, 0.5, 1, Number.NaN), fc.double({ min: 0, max: 1, noNaN: true })),
          {
            minLength: 40,
            maxLength: 40,
          },
        ),
        (ids, pool) => {
          const scores = ids.map((_, i) => pool[i]);
          const ranks = assignRanks(ids, scores);
          expect(ranks.map((r) => r.rank)).toEqual(ids.map((_, k) => k + 1));
          for (const entry of ranks) {
            const i = ids.indexOf(entry.alert_id);
            expect(entry.rank).toBe(referenceRank(ids, scores, i));
            expect(Object.is(entry.score, scores[i])).toBe(true);
          }
        },
      ),
    );
  });
});
