import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auc, averagePrecision } from './auc.js';
import { binaryLogLoss } from './logloss.js';
import { ndcgAtK, precisionAtK, recallAtK } from './ranking.js';
import { l2, rmse } from './regression.js';

const gains = Array.from({ length: 31 }, (_, i) => 2 ** i - 1);

/** Weighted fraction of correctly ordered (positive, negative) pairs; ties count 1/2. */
function pairwiseAuc(s: number[], y: number[], w: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < s.length; i++) {
    for (let j = 0; j < s.length; j++) {
      if (y[i] > 0 && y[j] === 0) {
        const pw = w[i] * w[j];
        den += pw;
        num += s[i] > s[j] ? pw : s[i] === s[j] ? pw / 2 : 0;
      }
    }
  }
  return num / den;
}

describe('auc', () => {
  it('equals the weighted pairwise count, ties included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 6 }),
            fc.integer({ min: 0, max: 1 }),
            fc.integer({ min: 1, max: 4 }),
          ),
          {
            minLength: 2,
            maxLength: 60,
          },
        ),
        (rows) => {
          const s = rows.map((r) => r[0]);
          const y = rows.map((r) => r[1]);
          const w = rows.map((r) => r[2]);
          const expected = y.includes(0) && y.includes(1) ? pairwiseAuc(s, y, w) : Number.NaN;
          const got = auc(s, y, w);
          if (Number.isNaN(expected)) expect(got).toBeNaN();
          else expect(got).toBeCloseTo(expected, 12);
        },
      ),
    );
  });

  it('is 1 for a perfect ranking and 0.5 for constant scores', () => {
    expect(auc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0])).toBe(1);
    expect(auc([1, 1, 1, 1], [1, 0, 1, 0])).toBe(0.5);
  });
});

describe('averagePrecision', () => {
  it('matches a hand-computed value', () => {
    // Ranked labels 1,0,1,0: precision at the two positives is 1 and 2/3 -> AP = (1 + 2/3) / 2.
    expect(averagePrecision([4, 3, 2, 1], [1, 0, 1, 0])).toBeCloseTo(5 / 6, 12);
  });
  it('groups tied scores into one threshold', () => {
    // All tied: one threshold with precision 2/4 and recall 1.
    expect(averagePrecision([1, 1, 1, 1], [1, 0, 1, 0])).toBeCloseTo(0.5, 12);
  });
  it('weights rows', () => {
    // Weight 3 on the second positive: precision there is (1+3)/(1+1+3) = 0.8, recall steps 1/4 and 3/4.
    expect(averagePrecision([4, 3, 2], [1, 0, 1], [1, 1, 3])).toBeCloseTo(0.25 * 1 + 0.75 * 0.8, 12);
  });
});

describe('binaryLogLoss', () => {
  it('matches the formula', () => {
    const expected = -(Math.log(0.8) + Math.log(1 - 0.3)) / 2;
    expect(binaryLogLoss([0.8, 0.3], [1, 0])).toBeCloseTo(expected, 12);
    expect(binaryLogLoss([0.8, 0.3], [1, 0], [3, 1])).toBeCloseTo(
      -(3 * Math.log(0.8) + Math.log(0.7)) / 4,
      12,
    );
  });
});

describe('ranking metrics', () => {
  const bounds = Int32Array.of(0, 3, 6);
  const labels = [2, 0, 1, 0, 0, 0];
  const scores = [0.1, 0.9, 0.5, 3, 2, 1];
  it('NDCG@k matches a hand computation; a query without relevance scores 1', () => {
    // Query 0 ranked labels: 0, 1, 2 -> DCG@3 = 1/log2(3) + 3/log2(4); ideal = 3 + 1/log2(3).
    const dcg = 1 / Math.log2(3) + 3 / 2;
    const ideal = 3 + 1 / Math.log2(3);
    expect(ndcgAtK(scores, labels, bounds, 3, gains)).toBeCloseTo((dcg / ideal + 1) / 2, 12);
    // @1: query 0 puts label 0 first -> 0.
    expect(ndcgAtK(scores, labels, bounds, 1, gains)).toBeCloseTo(0.5, 12);
  });
  it('precision@k and recall@k', () => {
    expect(precisionAtK(scores, labels, bounds, 2)).toBeCloseTo((1 / 2 + 0) / 2, 12);
    expect(recallAtK(scores, labels, bounds, 2)).toBeCloseTo(1 / 2, 12); // query 1 has no relevant rows
    expect(recallAtK(scores, labels, bounds, 3)).toBe(1);
  });
});

describe('regression metrics', () => {
  it('l2 and rmse', () => {
    expect(l2([1, 2, 4], [1, 3, 2])).toBeCloseTo(5 / 3, 12);
    expect(rmse([1, 2, 4], [1, 3, 2], [1, 1, 2])).toBeCloseTo(Math.sqrt(9 / 4), 12);
  });
});
