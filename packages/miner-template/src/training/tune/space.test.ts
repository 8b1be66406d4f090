import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAmlError } from '../../errors.js';
import { Rng } from '../../random.js';
import { readSearchSpaceFile } from './params-file.js';
import { sampleRandom } from './samplers.js';
import { completeParams, DEFAULT_SEARCH_SPACES, defaultSearchSpace, parseSearchSpace } from './space.js';

function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

/** Specs over parameters whose GBDT schema accepts any positive value in these ranges. */
const numericSpec = fc.oneof(
  fc
    .record({
      low: fc.double({ min: 1e-4, max: 1, noNaN: true }),
      span: fc.double({ min: 1.5, max: 1e4, noNaN: true }),
    })
    .chain(({ low, span }) =>
      fc.record({
        type: fc.constant('float' as const),
        low: fc.constant(low),
        high: fc.constant(low * span),
        log: fc.boolean(),
        zero_prob: fc.constantFrom(0, 0.3),
      }),
    ),
  fc
    .record({ low: fc.integer({ min: 1, max: 50 }), span: fc.integer({ min: 1, max: 500 }) })
    .chain(({ low, span }) =>
      fc.record({
        type: fc.constant('int' as const),
        low: fc.constant(low),
        high: fc.constant(low + span),
        log: fc.boolean(),
      }),
    ),
);

describe('search space sampling', () => {
  it('stays within bounds, gives integers for int params and only listed choices (property)', () => {
    fc.assert(
      fc.property(
        numericSpec,
        fc.array(fc.constantFrom(-1, 3, 5, 9), { minLength: 1, maxLength: 4 }),
        fc.integer(),
        (spec, depths, seed) => {
          const space = parseSearchSpace({ lambda_l2: spec, max_depth: { type: 'choice', values: depths } });
          const rng = new Rng(seed, 'space-test');
          for (let i = 0; i < 50; i++) {
            const p = sampleRandom(space, rng);
            const v = p.lambda_l2 as number;
            if (spec.type === 'float' && spec.zero_prob > 0 && v === 0) continue;
            expect(v).toBeGreaterThanOrEqual(spec.low);
            expect(v).toBeLessThanOrEqual(spec.high);
            if (spec.type === 'int') expect(Number.isInteger(v)).toBe(true);
            expect(depths).toContain(p.max_depth);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('puts half the mass below the geometric mean on a log scale, below the midpoint on a linear one', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const space = parseSearchSpace({
          learning_rate: { type: 'float', low: 1e-3, high: 10, log: true },
          feature_fraction: { type: 'float', low: 0.2, high: 1 },
        });
        const rng = new Rng(seed, 'scale-test');
        const n = 2000;
        let belowGeo = 0;
        let belowMid = 0;
        for (let i = 0; i < n; i++) {
          const p = sampleRandom(space, rng);
          if ((p.learning_rate as number) < 0.1) belowGeo++;
          if ((p.feature_fraction as number) < 0.6) belowMid++;
        }
        // Binomial(2000, 0.5) has sd ≈ 0.011; 0.06 is over 5 sd. A linear scale would put 1% below 0.1.
        expect(Math.abs(belowGeo / n - 0.5)).toBeLessThan(0.06);
        expect(Math.abs(belowMid / n - 0.5)).toBeLessThan(0.06);
      }),
      { numRuns: 10 },
    );
  });

  it('proposes the zero option at its probability and every integer of a small range', () => {
    const space = parseSearchSpace({
      lambda_l1: { type: 'float', low: 1e-3, high: 1, log: true, zero_prob: 0.25 },
      num_leaves: { type: 'int', low: 2, high: 5 },
    });
    const rng = new Rng(3);
    let zeros = 0;
    const leaves = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const p = sampleRandom(space, rng);
      if (p.lambda_l1 === 0) zeros++;
      leaves.set(p.num_leaves as number, (leaves.get(p.num_leaves as number) ?? 0) + 1);
    }
    expect(Math.abs(zeros / 4000 - 0.25)).toBeLessThan(0.04);
    expect([...leaves.keys()].sort()).toEqual([2, 3, 4, 5]);
    for (const count of leaves.values()) expect(Math.abs(count / 4000 - 0.25)).toBeLessThan(0.04);
  });

  it('adds bagging_freq=1 when bagging_fraction < 1 so bagging actually happens', () => {
    expect(completeParams({ bagging_fraction: 0.7 })).toEqual({ bagging_fraction: 0.7, bagging_freq: 1 });
    expect(completeParams({ bagging_fraction: 1 })).toEqual({ bagging_fraction: 1 });
    expect(completeParams({ bagging_fraction: 0.7, bagging_freq: 5 })).toEqual({
      bagging_fraction: 0.7,
      bagging_freq: 5,
    });
  });
});

describe('parseSearchSpace', () => {
  it('accepts every default space and canonicalises aliases', () => {
    for (const task of Object.keys(DEFAULT_SEARCH_SPACES) as (keyof typeof DEFAULT_SEARCH_SPACES)[])
      expect(defaultSearchSpace(task).length).toBeGreaterThanOrEqual(9);
    const space = parseSearchSpace({ eta: { type: 'float', low: 0.01, high: 0.3, log: true } });
    expect(space[0].name).toBe('learning_rate');
  });

  it('rejects unknown names, bad ranges and values the GBDT schema refuses, naming the parameter', () => {
    const unknown = thrown(() => parseSearchSpace({ learnin_rate: { type: 'float', low: 0.1, high: 0.2 } }));
    expect(unknown.code).toBe('AML_ERR_GBDT_PARAM');
    expect(unknown.message).toContain('learnin_rate');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ num_leaves: { type: 'int', low: 64, high: 8 } }, /num_leaves.*low < high/],
      [{ learning_rate: { type: 'float', low: 0, high: 1, log: true } }, /learning_rate.*log scale/],
      [{ feature_fraction: { type: 'float', low: 0.5, high: 1.5 } }, /feature_fraction/],
      [{ max_depth: { type: 'choice', values: [] } }, /max_depth/],
      [{ num_leaves: { type: 'int', low: 2.5, high: 8 } }, /num_leaves/],
      [{ learning_rate: { type: 'uniform', low: 0.1, high: 0.2 } }, /learning_rate/],
      [
        { learning_rate: { type: 'float', low: 0.1, high: 0.2 }, eta: { type: 'fixed', value: 0.1 } },
        /twice/,
      ],
    ];
    for (const [input, message] of cases) {
      const err = thrown(() => parseSearchSpace(input));
      expect(isAmlError(err)).toBe(true);
      expect(err.message).toMatch(message);
    }
  });

  it('reads a space from YAML', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aml-space-'));
    try {
      const path = join(dir, 'space.yaml');
      await writeFile(
        path,
        'learning_rate: { type: float, low: 0.02, high: 0.2, log: true }\nmax_depth:\n  type: choice\n  values: [-1, 6]\nnum_iterations: { type: fixed, value: 50 }\n',
      );
      const space = await readSearchSpaceFile(path);
      expect(space.map((p) => p.name)).toEqual(['learning_rate', 'max_depth', 'num_iterations']);
      expect(space[0].spec).toEqual({ type: 'float', low: 0.02, high: 0.2, log: true, zero_prob: 0 });
      await writeFile(path, 'bogus_param: { type: float, low: 0, high: 1 }\n');
      await expect(readSearchSpaceFile(path)).rejects.toThrow(/bogus_param/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
