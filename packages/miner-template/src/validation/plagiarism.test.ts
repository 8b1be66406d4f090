import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectPlagiarism } from './plagiarism.js';
import { pearson } from './stats.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const honest = (seed: number, n = 50) => {
  const r = lcg(seed);
  return Array.from({ length: n }, () => r());
};

describe('detectPlagiarism', () => {
  it('flags a near-copy and keeps the miner whose model was seen first', () => {
    const original = honest(1);
    const copy = original.map((x, i) => Math.min(1, x * 0.99 + (i % 2) * 0.001));
    const verdicts = detectPlagiarism([
      { minerId: 'copycat', firstSeen: 20, scores: copy },
      { minerId: 'author', firstSeen: 10, scores: original },
      { minerId: 'other', firstSeen: 5, scores: honest(2) },
    ]);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0].minerId).toBe('copycat');
    expect(verdicts[0].original).toBe('author');
    expect(verdicts[0].correlation).toBeCloseTo(pearson(copy, original), 12);
  });

  it('ignores correlated answers on fewer than ten alerts', () => {
    const a = honest(3, 9);
    expect(
      detectPlagiarism([
        { minerId: 'a', firstSeen: 1, scores: a },
        { minerId: 'b', firstSeen: 2, scores: a },
      ]),
    ).toEqual([]);
  });

  it('groups chains of copies and keeps exactly one original per group', () => {
    const base = honest(4);
    const verdicts = detectPlagiarism([
      { minerId: 'c', firstSeen: 3, scores: base },
      { minerId: 'a', firstSeen: 1, scores: base.map((x) => x * 0.5) },
      { minerId: 'b', firstSeen: 2, scores: base.map((x) => x * 0.7 + 0.1) },
    ]);
    expect(verdicts.map((v) => v.minerId).sort()).toEqual(['b', 'c']);
    expect(new Set(verdicts.map((v) => v.original))).toEqual(new Set(['a']));
  });

  it('property: its correlation agrees with a direct Pearson computation and never flags below the bar', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 40 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }),
        (xs, noise) => {
          const ys = xs.map((x, i) => x + noise[i] * 0.05);
          const r = pearson(xs, ys);
          const verdicts = detectPlagiarism([
            { minerId: 'x', firstSeen: 1, scores: xs },
            { minerId: 'y', firstSeen: 2, scores: ys },
          ]);
          if (Number.isNaN(r) || r <= 0.98) expect(verdicts).toEqual([]);
          else {
            expect(verdicts).toHaveLength(1);
            expect(verdicts[0].correlation).toBeCloseTo(r, 9);
          }
        },
      ),
    );
  });
});
