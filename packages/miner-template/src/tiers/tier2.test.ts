import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTier2 } from './tier2.js';

const ids = Array.from({ length: 10 }, (_, i) => `a${i}`);
// a0..a3 are traps: a0, a1 planted (1), a2, a3 benign (0)
const traps = new Map<string, 0 | 1>([
  ['a0', 1],
  ['a1', 1],
  ['a2', 0],
  ['a3', 0],
]);

describe('checkTier2', () => {
  it('gives 1 to a miner that separates the traps perfectly and behaves', () => {
    const scores = [0.9, 0.8, 0.1, 0.2, 0.5, 0.4, 0.6, 0.3, 0.7, 0.45];
    const r = checkTier2({ alertIds: ids, scores, trapTruth: traps });
    expect(r.trapAuc).toBe(1);
    expect(r.behaviour).toBe(1);
    expect(r.t2).toBe(1);
  });

  it('gives the trap half nothing for an inverted ranking (AUC 0 → max(0, -1) = 0)', () => {
    const scores = [0.1, 0.2, 0.9, 0.8, 0.5, 0.4, 0.6, 0.3, 0.7, 0.45];
    const r = checkTier2({ alertIds: ids, scores, trapTruth: traps });
    expect(r.trapAuc).toBe(0);
    expect(r.t2).toBe(0.5);
  });

  it('takes 1/2 of behaviour for near-constant scores and 1/2 for coarse ones', () => {
    const scores = ids.map(() => 0.95);
    const r = checkTier2({ alertIds: ids, scores, trapTruth: traps });
    expect(r.flags.nearConstant).toBe(true);
    expect(r.trapAuc).toBe(0.5); // all tied
    // n = 10 needs min(50, 10/20 → 0) distinct values: one value is not coarse here
    expect(r.flags.coarse).toBe(false);
    expect(r.behaviour).toBe(0.5);
    expect(r.t2).toBeCloseTo(0.25, 12);
  });

  it('calls an answer coarse below min(50, n/20) distinct values, whatever its spread', () => {
    const n = 2000; // needs 50 distinct values
    const alertIds = Array.from({ length: n }, (_, i) => `x${i}`);
    const tenLevels = alertIds.map((_, i) => (i % 10) / 10);
    const r = checkTier2({ alertIds, scores: tenLevels, trapTruth: new Map() });
    expect(r.distinctRequired).toBe(50);
    expect(r.flags).toEqual({ nearConstant: false, coarse: true });
    expect(r.behaviour).toBe(0.5);
    const fine = alertIds.map((_, i) => (i % 97) / 97);
    expect(checkTier2({ alertIds, scores: fine, trapTruth: new Map() }).behaviour).toBe(1);
  });

  it('has no median rule: a calibrated low-prevalence answer (median 0.03) keeps full behaviour', () => {
    const n = 400;
    const alertIds = Array.from({ length: n }, (_, i) => `c${i}`);
    const scores = alertIds.map((_, i) => (i % 7 === 0 ? 0.5 + (i % 50) / 100 : 0.01 + (i % 40) / 1000));
    const r = checkTier2({ alertIds, scores, trapTruth: new Map() });
    expect(r.behaviour).toBe(1);
  });

  it('treats traps without both classes as no evidence (trap half 0), not as a crash', () => {
    const scores = [0.9, 0.8, 0.1, 0.2, 0.5, 0.4, 0.6, 0.3, 0.7, 0.45];
    const r = checkTier2({ alertIds: ids, scores, trapTruth: new Map([['a0', 1]]) });
    expect(r.trapAuc).toBeNaN();
    expect(r.t2).toBe(0.5);
  });

  it('property: t2 is always in [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }),
        (scores) => {
          const { t2 } = checkTier2({ alertIds: ids, scores, trapTruth: traps });
          expect(t2).toBeGreaterThanOrEqual(0);
          expect(t2).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
