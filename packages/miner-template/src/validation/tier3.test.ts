import { describe, expect, it } from 'vitest';
import { checkTier3 } from './tier3.js';

describe('checkTier3', () => {
  it('is unknown below ten labelled alerts or with one class', () => {
    expect(checkTier3([0.1, 0.9], [0, 1])).toBeUndefined();
    expect(checkTier3(new Array(12).fill(0.5), new Array(12).fill(1))).toBeUndefined();
  });

  it('is 1 for a perfect ranking and combines AUC-ROC and AUC-PR 0.6/0.4', () => {
    const labels = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, Number.NaN];
    const perfect = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.99];
    const r = checkTier3(perfect, labels)!;
    expect(r.labelled).toBe(10);
    expect(r.t3).toBeCloseTo(1, 12);
    // Swap the second positive below every negative: AUC = 8/16 = 0.5; AP = (1/1 + 2/10)/2 = 0.6
    const worse = [0.9, 0.01, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.99];
    const w = checkTier3(worse, labels)!;
    expect(w.aucRoc).toBeCloseTo(0.5, 12);
    expect(w.aucPr).toBeCloseTo(0.6, 12);
    expect(w.t3).toBeCloseTo(0.6 * 0.5 + 0.4 * 0.6, 12);
  });
});
