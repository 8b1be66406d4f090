import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random.js';
import { resolveRegime } from '../synthetic/regime.js';
import { drawTrainingRegime, HELDOUT_REGIME } from './regimes.js';

describe('training regimes', () => {
  it('draws valid regimes deterministically, inside the documented ranges', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const draw = drawTrainingRegime(new Rng(seed, 'r'));
        expect(drawTrainingRegime(new Rng(seed, 'r'))).toEqual(draw);
        const r = resolveRegime(draw.regime);
        expect(draw.difficulty).toBeGreaterThanOrEqual(0.15);
        expect(draw.difficulty).toBeLessThan(0.85);
        expect(r.amountScale).toBeGreaterThanOrEqual(0.4);
        expect(r.amountScale).toBeLessThanOrEqual(2.5);
        expect(r.export.missingRate).toBeLessThan(0.3);
        expect([3, 7, 14]).toContain(draw.windowDays);
      }),
    );
  });

  it('keeps the held-out regime outside what training draws', () => {
    const r = resolveRegime(HELDOUT_REGIME.regime);
    expect(HELDOUT_REGIME.difficulty).toBeGreaterThan(0.85);
    expect(r.amountScale).toBeGreaterThan(2.5);
    expect(r.export.missingRate).toBeGreaterThan(0.3);
    expect(HELDOUT_REGIME.windowDays).toBe(30);
  });
});
