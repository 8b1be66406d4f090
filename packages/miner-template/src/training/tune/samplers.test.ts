import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../random.js';
import { erf, fitCategorical, fitTruncatedMixture, mixtureDensity, sampleMixture } from './parzen.js';
import { runSearch } from './search.js';
import { type ParamValues, parseSearchSpace } from './space.js';

const space = parseSearchSpace({
  learning_rate: { type: 'float', low: 1e-4, high: 1, log: true },
  feature_fraction: { type: 'float', low: 0.1, high: 1 },
  num_leaves: { type: 'int', low: 4, high: 256, log: true },
  max_depth: { type: 'choice', values: [-1, 4, 8] },
});

/** A known optimum: learning_rate 10^-2.5, feature_fraction 0.35, num_leaves 32, max_depth 8. */
function synthetic(p: ParamValues): number {
  return (
    -((Math.log10(p.learning_rate as number) + 2.5) ** 2) -
    10 * ((p.feature_fraction as number) - 0.35) ** 2 -
    (Math.log2(p.num_leaves as number) - 5) ** 2 / 4 -
    (p.max_depth === 8 ? 0 : 0.3)
  );
}

const objective = (p: ParamValues) => ({ mean: synthetic(p), std: 0, folds: [] });

describe('Parzen estimators', () => {
  it('erf matches known values', () => {
    expect(erf(0)).toBeCloseTo(0, 8);
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 6);
    expect(erf(1)).toBeCloseTo(0.8427007929, 6);
    expect(erf(-2)).toBeCloseTo(-0.995322265, 6);
  });

  it('a truncated mixture is a density on its range: integrates to 1, samples stay inside (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 5, noNaN: true }), { maxLength: 12 }),
        fc.integer(),
        (obs, seed) => {
          const m = fitTruncatedMixture(obs, -3, 5);
          const steps = 4000;
          const h = 8 / steps;
          let area = 0;
          for (let i = 0; i <= steps; i++)
            area += mixtureDensity(m, -3 + i * h) * (i === 0 || i === steps ? h / 2 : h);
          expect(area).toBeCloseTo(1, 2);
          const rng = new Rng(seed);
          for (let i = 0; i < 20; i++) {
            const x = sampleMixture(m, rng);
            expect(x).toBeGreaterThanOrEqual(-3);
            expect(x).toBeLessThanOrEqual(5);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('smoothed categorical: counts plus one spread pseudo-count', () => {
    expect(Array.from(fitCategorical([0, 0, 2], 4))).toEqual([2.25 / 4, 0.25 / 4, 1.25 / 4, 0.25 / 4]);
    expect(Array.from(fitCategorical([], 2))).toEqual([0.5, 0.5]);
  });
});

describe('runSearch', () => {
  it('gives the same trial sequence for the same seed, a different one for another seed', () => {
    for (const sampler of ['random', 'tpe'] as const) {
      const run = (seed: number) =>
        runSearch({ space, sampler, trials: 20, seed, tpe: { nStartup: 5 }, objective }).trials.map((t) => [
          t.sampler,
          t.params,
        ]);
      expect(run(11)).toEqual(run(11));
      expect(run(11)).not.toEqual(run(12));
    }
  });

  it('stops starting trials once the time budget is spent, and the trials run match an unbounded run', () => {
    let clock = 0;
    const slow = (p: ParamValues) => {
      clock += 100; // each trial "takes" 100 ms on this fake clock
      return objective(p);
    };
    const budgeted = runSearch({
      space,
      sampler: 'tpe',
      trials: 20,
      timeBudgetMs: 250,
      seed: 5,
      objective: slow,
      now: () => clock,
    });
    // Trials start at 0, 100 and 200 ms; at 300 ms the budget is spent.
    expect(budgeted.trials).toHaveLength(3);
    expect(budgeted.stoppedBy).toBe('time');
    const full = runSearch({ space, sampler: 'tpe', trials: 3, seed: 5, objective });
    expect(budgeted.trials.map((t) => t.params)).toEqual(full.trials.map((t) => t.params));
    expect(full.stoppedBy).toBe('trials');
  });

  it('labels TPE start-up trials random, records failures and keeps the best finite trial', () => {
    const result = runSearch({
      space,
      sampler: 'tpe',
      trials: 8,
      seed: 1,
      tpe: { nStartup: 4 },
      objective: (p, id) => {
        if (id === 2) throw new Error('boom');
        return objective(p);
      },
    });
    expect(result.trials.map((t) => t.sampler)).toEqual([
      ...Array(4).fill('random'),
      ...Array(4).fill('tpe'),
    ]);
    expect(result.trials[1].error).toBe('boom');
    expect(Number.isNaN(result.trials[1].mean)).toBe(true);
    const finite = result.trials.filter((t) => Number.isFinite(t.mean));
    expect(result.best?.mean).toBe(Math.max(...finite.map((t) => t.mean)));
  });

  it('TPE finds better points than random search on a synthetic objective (mean over seeds)', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const meanBest = (sampler: 'random' | 'tpe') =>
      seeds
        .map(
          (seed) =>
            runSearch({ space, sampler, trials: 30, seed, tpe: { nStartup: 10 }, objective }).best?.mean ??
            -1e9,
        )
        .reduce((a, b) => a + b, 0) / seeds.length;
    const tpe = meanBest('tpe');
    const random = meanBest('random');
    expect(tpe).toBeGreaterThan(random);
  });

  it('TPE concentrates its proposals near the optimum once past start-up', () => {
    const result = runSearch({
      space,
      sampler: 'tpe',
      trials: 40,
      seed: 9,
      tpe: { nStartup: 10 },
      objective,
    });
    const near = (ts: typeof result.trials) =>
      ts.filter((t) => Math.abs(Math.log10(t.params.learning_rate as number) + 2.5) < 1).length / ts.length;
    // Random search lands within one decade of 10^-2.5 with probability 2/4 on this 4-decade range.
    expect(near(result.trials.slice(20))).toBeGreaterThan(near(result.trials.slice(0, 10)));
    expect(near(result.trials.slice(20))).toBeGreaterThan(0.6);
  });
});
