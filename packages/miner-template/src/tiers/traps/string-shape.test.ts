import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../random.js';
import { learnStringShape } from './string-shape.js';

describe('learnStringShape', () => {
  it('writes new ids in the learnt layout', () => {
    const shape = learnStringShape(['CL0001', 'CL0002', 'CL0417', 'CL0032'])!;
    const taken = new Set(['CL0001', 'CL0002', 'CL0417', 'CL0032']);
    const id = shape.generate(new Rng(1, 't'), 'CL0002', taken);
    expect(id).toMatch(/^CL\d{4}$/);
    expect(taken.has(id)).toBe(false);
  });

  // The bug this pins: a small batch's few cluster ids, all taken, made the pool throw and the
  // whole validator cycle with it.
  it('property: always finds a free value, even when every value it knows is taken', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Z]{0,3}[0-9]{1,5}(-[a-z0-9]{1,4})?$/), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 0, max: 1000 }),
        (values, seed) => {
          const shape = learnStringShape(values);
          if (!shape) return;
          const taken = new Set(values);
          const rng = new Rng(seed, 'shape');
          for (let k = 0; k < 5; k++) {
            const out = shape.generate(rng, values[k % values.length], taken);
            expect(taken.has(out)).toBe(false);
            taken.add(out);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
