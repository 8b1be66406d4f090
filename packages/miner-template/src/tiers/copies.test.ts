import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageRanks, type CopyCandidate, compareAnswers, detectCopies } from './copies.js';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A skewed, calibrated-looking answer: most alerts low, a tail of high scores. */
function skilledAnswer(n: number, seed: number): Float64Array {
  const r = lcg(seed);
  return Float64Array.from({ length: n }, () => {
    const u = r();
    return u < 0.85 ? 0.01 + 0.1 * r() : 0.3 + 0.7 * r();
  });
}

const miner = (
  minerId: string,
  registeredAt: number,
  scores: ArrayLike<number>,
  uid = registeredAt,
): CopyCandidate => ({
  minerId,
  registeredAt,
  uid,
  scores,
});

describe('averageRanks', () => {
  it('gives ties the mean of their positions', () => {
    expect(Array.from(averageRanks([0.3, 0.1, 0.3, 0.2]))).toEqual([2.5, 0, 2.5, 1]);
  });
});

describe('detectCopies', () => {
  const good = skilledAnswer(2000, 1);

  it('flags a monotone transform (s^0.25) that a Pearson test lets through', () => {
    const monotone = good.map((s) => s ** 0.25);
    const verdicts = detectCopies([miner('author', 10, good), miner('copier', 20, monotone)]);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({ minerId: 'copier', copyOf: 'author' });
    expect(verdicts[0].rankCorrelation).toBeCloseTo(1, 12);
  });

  it('gives the credit to the earliest registration whatever order the answers arrive in', () => {
    const copy = good.map((s) => s * 0.999);
    for (const order of [
      [miner('copier', 50, copy), miner('author', 5, good)],
      [miner('author', 5, good), miner('copier', 50, copy)],
    ]) {
      const verdicts = detectCopies(order);
      expect(verdicts.map((v) => [v.minerId, v.copyOf])).toEqual([['copier', 'author']]);
    }
    // same block: the lower uid keeps credit
    const tie = detectCopies([miner('b', 7, copy, 3), miner('a', 7, good, 9)]);
    expect(tie.map((v) => v.minerId)).toEqual(['a']);
  });

  it('flags small noise by the mean absolute difference even when ranks among near-ties move', () => {
    const r = lcg(9);
    const noisy = good.map((s) => Math.min(1, Math.max(0, s + (r() - 0.5) * 0.015)));
    const agreement = compareAnswers(good, noisy);
    expect(agreement.rankCorrelation).toBeLessThan(0.995);
    expect(agreement.meanAbsDiff).toBeLessThanOrEqual(0.01);
    expect(detectCopies([miner('author', 1, good), miner('noisy', 2, noisy)]).map((v) => v.minerId)).toEqual([
      'noisy',
    ]);
  });

  it('groups copies transitively and leaves one keeper per group', () => {
    const other = skilledAnswer(2000, 2);
    const verdicts = detectCopies([
      miner(
        'a2',
        30,
        good.map((s) => s ** 2),
      ),
      miner('b1', 4, other),
      miner('a1', 10, good),
      miner(
        'b2',
        2,
        other.map((s) => s / 2),
      ),
      miner(
        'a3',
        40,
        good.map((s) => Math.sqrt(s)),
      ),
    ]);
    expect(verdicts.map((v) => [v.minerId, v.copyOf])).toEqual([
      ['a2', 'a1'],
      ['b1', 'b2'],
      ['a3', 'a1'],
    ]);
  });

  it('flags copies of an anchor (the reference, the previous canonical) except the exempt contributors', () => {
    const canonical = good.map((s) => s * 0.5 + 0.1);
    const verdicts = detectCopies(
      [
        miner('contributor', 1, good),
        miner(
          'replayer',
          0,
          canonical.map((s) => s ** 3),
        ),
      ],
      [{ id: 'canonical', scores: canonical, exempt: new Set(['contributor']) }],
    );
    // the replayer registered earlier but copies the anchor: it never keeps a group's credit
    expect(verdicts.map((v) => [v.minerId, v.copyOf])).toEqual([['replayer', 'canonical']]);
  });

  it('compares an anchor only on the alerts it scored', () => {
    const partial = Float64Array.from(good, (s, i) => (i % 3 === 0 ? Number.NaN : s));
    const a = compareAnswers(good, partial);
    expect(a.shared).toBe(2000 - Math.ceil(2000 / 3));
    expect(a.rankCorrelation).toBeCloseTo(1, 12);
  });

  it('does not flag two independent answers or constant ones', () => {
    expect(
      detectCopies([
        miner('x', 1, skilledAnswer(2000, 3)),
        miner('y', 2, skilledAnswer(2000, 4)),
        miner('flat1', 3, new Float64Array(2000).fill(0.5)),
        miner('flat2', 4, new Float64Array(2000).fill(0.6)),
      ]),
    ).toEqual([]);
  });

  it('property: any strictly increasing transform of an answer is a copy of it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        (seed, power) => {
          const base = skilledAnswer(300, seed);
          const verdicts = detectCopies([
            miner('o', 1, base),
            miner(
              't',
              2,
              base.map((s) => s ** power),
            ),
          ]);
          expect(verdicts.map((v) => v.minerId)).toEqual(['t']);
        },
      ),
      { numRuns: 30 },
    );
  });
});
