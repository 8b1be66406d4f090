import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discount } from '../metric/dcg.js';
import { BinaryObjective } from './binary.js';
import { LambdarankObjective } from './lambdarank.js';
import { RegressionObjective } from './regression.js';

/** Central finite difference of a scalar loss in coordinate i. */
function numericGrad(loss: (s: Float64Array) => number, s: Float64Array, i: number, eps = 1e-5): number {
  const up = Float64Array.from(s);
  const down = Float64Array.from(s);
  up[i] += eps;
  down[i] -= eps;
  return (loss(up) - loss(down)) / (2 * eps);
}

const scoresArb = (n: number) =>
  fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n });

describe('binary objective', () => {
  it('gradients and hessians are the derivatives of the weighted log loss', () => {
    fc.assert(
      fc.property(scoresArb(6), fc.constantFrom(1, 2), (raw, sigmoid) => {
        const label = Float64Array.of(1, 0, 1, 1, 0, 0);
        const weight = Float64Array.of(1, 2, 0.5, 1, 3, 1);
        const obj = new BinaryObjective(label, weight, { sigmoid, scalePosWeight: 1 });
        const loss = (s: Float64Array) => {
          let l = 0;
          for (let i = 0; i < s.length; i++) {
            const p = 1 / (1 + Math.exp(-sigmoid * s[i]));
            l -= weight[i] * (label[i] === 1 ? Math.log(p) : Math.log(1 - p));
          }
          return l;
        };
        const s = Float64Array.from(raw);
        const g = new Float64Array(6);
        const h = new Float64Array(6);
        obj.gradients(s, g, h);
        for (let i = 0; i < 6; i++) {
          expect(g[i]).toBeCloseTo(numericGrad(loss, s, i), 5);
          const gradAt = (x: Float64Array) => {
            const gg = new Float64Array(6);
            obj.gradients(x, gg, new Float64Array(6));
            return gg[i];
          };
          const up = Float64Array.from(s);
          const down = Float64Array.from(s);
          up[i] += 1e-5;
          down[i] -= 1e-5;
          expect(h[i]).toBeCloseTo((gradAt(up) - gradAt(down)) / 2e-5, 4);
        }
      }),
    );
  });

  it('starts from the log-odds of the weighted positive rate', () => {
    const obj = new BinaryObjective(Float64Array.of(1, 0, 0, 0), Float64Array.of(2, 1, 1, 1), {
      sigmoid: 1,
      scalePosWeight: 1,
    });
    expect(obj.initScore()).toBeCloseTo(Math.log(0.4 / 0.6), 12);
  });

  it('rejects labels other than 0 and 1', () => {
    expect(
      () => new BinaryObjective(Float64Array.of(2), undefined, { sigmoid: 1, scalePosWeight: 1 }),
    ).toThrow(/binary labels/);
  });
});

describe('regression objective', () => {
  it('is the derivative of the weighted half squared error and starts at the weighted mean', () => {
    const label = Float64Array.of(1, 4, -2);
    const weight = Float64Array.of(1, 2, 1);
    const obj = new RegressionObjective(label, weight);
    const s = Float64Array.of(0.5, 1, 3);
    const loss = (x: Float64Array) => x.reduce((a, v, i) => a + 0.5 * weight[i] * (v - label[i]) ** 2, 0);
    const g = new Float64Array(3);
    const h = new Float64Array(3);
    obj.gradients(s, g, h);
    for (let i = 0; i < 3; i++) expect(g[i]).toBeCloseTo(numericGrad(loss, s, i), 6);
    expect(Array.from(h)).toEqual([1, 2, 1]);
    expect(obj.initScore()).toBeCloseTo(7 / 4, 12);
  });
});

describe('lambdarank objective', () => {
  it('without normalisation, lambdas are the gradient of the NDCG-weighted pairwise logistic loss', () => {
    const labelGain = Array.from({ length: 31 }, (_, i) => 2 ** i - 1);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -300, max: 300 }), { minLength: 5, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 5 }),
        (rawScores, labels) => {
          const s = Float64Array.from(rawScores, (v) => v / 100);
          const label = Float64Array.from(labels);
          const obj = new LambdarankObjective(label, undefined, Int32Array.of(5), {
            sigmoid: 1,
            labelGain,
            truncationLevel: 30,
            norm: false,
          });
          // With positions frozen at the current order, the loss is Σ |ΔNDCG| log(1 + e^{−(s_hi − s_lo)}).
          const order = Array.from(s.keys()).sort((a, b) => s[b] - s[a]);
          const pos = new Array(5);
          order.forEach((r, p) => {
            pos[r] = p;
          });
          const ideal = [...labels]
            .map((l) => labelGain[l])
            .sort((a, b) => b - a)
            .reduce((a, g, i) => a + g * discount(i), 0);
          const loss = (x: Float64Array) => {
            let l = 0;
            for (let i = 0; i < 5; i++) {
              for (let j = 0; j < 5; j++) {
                if (label[i] <= label[j]) continue;
                const w =
                  ((labelGain[label[i]] - labelGain[label[j]]) *
                    Math.abs(discount(pos[i]) - discount(pos[j]))) /
                  ideal;
                l += w * Math.log1p(Math.exp(-(x[i] - x[j])));
              }
            }
            return l;
          };
          const g = new Float64Array(5);
          const h = new Float64Array(5);
          obj.gradients(s, g, h);
          for (let i = 0; i < 5; i++) {
            // LightGBM's sigmoid table steps by 50/2^20 in the score gap (≤ 1.2e-5 per pair) and
            // the sums are float32: close to the analytic gradient, not to 1e-5
            const want = ideal > 0 ? numericGrad(loss, s, i) : 0;
            expect(Math.abs(g[i] - want)).toBeLessThan(2e-4 * Math.max(1, Math.abs(want)));
            expect(h[i]).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });

  it('pushes the relevant document up', () => {
    const obj = new LambdarankObjective(Float64Array.of(0, 1), undefined, Int32Array.of(2), {
      sigmoid: 1,
      labelGain: [0, 1],
      truncationLevel: 30,
      norm: true,
    });
    const g = new Float64Array(2);
    obj.gradients(Float64Array.of(1, 0), g, new Float64Array(2));
    expect(g[1]).toBeLessThan(0);
    expect(g[0]).toBeGreaterThan(0);
  });
});
