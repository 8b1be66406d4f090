import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chanceRemoved, checkTier3 } from './tier3.js';

describe('checkTier3', () => {
  it('is unknown below ten labelled alerts or with one class', () => {
    expect(checkTier3([0.1, 0.9], [0, 1])).toBeUndefined();
    expect(checkTier3(new Array(12).fill(0.5), new Array(12).fill(1))).toBeUndefined();
  });

  it('is 1 for a perfect ranking and removes chance from AUC-ROC and AUC-PR (0.6 / 0.4)', () => {
    const labels = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, Number.NaN];
    const perfect = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.99];
    const r = checkTier3(perfect, labels)!;
    expect(r.labelled).toBe(10);
    expect(r.positiveRate).toBeCloseTo(0.2, 15);
    expect(r.t3).toBeCloseTo(1, 12);
    // Second positive below every negative: AUC = 8/16 = 0.5 → 0; AP = (1/1 + 2/10)/2 = 0.6,
    // p = 0.2 → (0.6 − 0.2)/0.8 = 0.5 → t3 = 0.4 · 0.5 = 0.2
    const worse = [0.9, 0.01, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.99];
    const w = checkTier3(worse, labels)!;
    expect(w.aucRoc).toBeCloseTo(0.5, 12);
    expect(w.aucPr).toBeCloseTo(0.6, 12);
    expect(w.t3).toBeCloseTo(0.2, 12);
  });

  it('gives a constant answer 0 whatever the positive rate (plain AUC would pay 0.5, plain AP p)', () => {
    const labels = Array.from({ length: 40 }, (_, i) => (i % 8 === 0 ? 1 : 0));
    expect(checkTier3(new Array(40).fill(0.3), labels)!.t3).toBe(0);
  });

  it('gives an inverted ranking 0, not a negative score', () => {
    const labels = Array.from({ length: 20 }, (_, i) => (i < 5 ? 1 : 0));
    const inverted = labels.map((l, i) => (l ? 0.01 * i : 0.5 + 0.01 * i));
    expect(checkTier3(inverted, labels)!.t3).toBe(0);
  });

  it('property: random answers on imbalanced labels average near 0 (chance removed)', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    let total = 0;
    for (let k = 0; k < 200; k++) {
      const labels = Array.from({ length: 500 }, () => (rand() < 0.12 ? 1 : 0));
      const scores = labels.map(() => rand());
      total += checkTier3(scores, labels)!.t3;
    }
    // E[max(0, 2·AUC − 1)] with AUC ~ N(0.5, 0.04) is about 0.016; the AP part about as small.
    expect(total / 200).toBeLessThan(0.04);
  });

  it('property: t3 is in [0, 1] for any scores and weights', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.boolean(),
            fc.double({ min: 0.01, max: 1, noNaN: true }),
          ),
          {
            minLength: 10,
            maxLength: 60,
          },
        ),
        (rows) => {
          const r = checkTier3(
            rows.map((x) => x[0]),
            rows.map((x) => (x[1] ? 1 : 0)),
            rows.map((x) => x[2]),
          );
          if (r === undefined) return;
          expect(r.t3).toBeGreaterThanOrEqual(0);
          expect(r.t3).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('chanceRemoved clips both parts at 0 and 1', () => {
    expect(chanceRemoved(0.2, 0.05, 0.1)).toBe(0);
    expect(chanceRemoved(1, 1, 0.1)).toBeCloseTo(1, 15);
    expect(chanceRemoved(0.75, 0.1, 1)).toBeCloseTo(0.3, 15);
    // A weighted AUC a hair above 1 (floating-point sums; fast-check found one) stays at 1.
    expect(chanceRemoved(1 + 2 ** -52, 1, 0.1)).toBeLessThanOrEqual(1);
    expect(chanceRemoved(1 + 2 ** -52, 0, 0.1)).toBe(0.6);
  });
});
