import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainWeights } from './chain-weights.js';
import { finalScore, immediateScore } from './cycle-score.js';
import { type CycleScoreRecord, performance } from './performance.js';

describe('cycle scores', () => {
  it('follows SPEC §3: 0.2·t1 + 0.3·t2, plus 0.5·t3 when settled', () => {
    expect(immediateScore(1, 1)).toBeCloseTo(0.5, 15);
    expect(immediateScore(1, 0.5)).toBeCloseTo(0.35, 15);
    expect(finalScore(0.35, 0.8)).toBeCloseTo(0.75, 15);
    expect(finalScore(0.35, undefined)).toBe(0.35);
  });

  it('property: immediate in [0, 0.5] and final in [0, 1] whatever the inputs', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), fc.option(fc.double(), { nil: undefined }), (t1, t2, t3) => {
        const i = immediateScore(t1, t2);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(i).toBeLessThanOrEqual(0.5);
        const f = finalScore(i, t3);
        expect(f).toBeGreaterThanOrEqual(0);
        expect(f).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('performance', () => {
  it('averages the last 30 cycles, preferring final over immediate', () => {
    const history: CycleScoreRecord[] = Array.from({ length: 40 }, (_, c) => ({
      cycle: c,
      immediate: c < 10 ? 1 : 0.2,
    }));
    expect(performance(history)).toBeCloseTo(0.2, 15);
    history[39] = { cycle: 39, immediate: 0.2, final: 0.8 };
    expect(performance(history)).toBeCloseTo((29 * 0.2 + 0.8) / 30, 15);
    expect(performance([])).toBe(0);
  });
});

describe('chainWeights', () => {
  it('is proportional to performance over serving miners only', () => {
    const r = chainWeights([
      { uid: 3, performance: 0.3, serving: true },
      { uid: 1, performance: 0.1, serving: true },
      { uid: 2, performance: 0.9, serving: false },
      { uid: 4, performance: 0, serving: true },
    ]);
    expect(r.uids).toEqual([1, 3]);
    expect(r.weights[0]).toBeCloseTo(0.25, 15);
    expect(r.weights[1]).toBeCloseTo(0.75, 15);
  });
});
