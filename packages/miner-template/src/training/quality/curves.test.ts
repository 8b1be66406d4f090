import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auc, averagePrecision } from '../../gbdt/metric/auc.js';
import {
  calibrationBins,
  expectedCalibrationError,
  prCurve,
  rocCurve,
  stepArea,
  thinCurve,
  topKPrecisionRecall,
  trapezoidArea,
} from './curves.js';

/** Scores from a small set of values, so ties are common; labels 0/1; weights positive. */
const rows = fc
  .array(
    fc.record({
      score: fc.integer({ min: 0, max: 20 }).map((x) => x / 20),
      label: fc.integer({ min: 0, max: 1 }),
      weight: fc.integer({ min: 1, max: 5 }).map((x) => x / 5),
    }),
    { minLength: 1, maxLength: 200 },
  )
  .map((rs) => ({
    scores: rs.map((r) => r.score),
    labels: rs.map((r) => r.label),
    weights: rs.map((r) => r.weight),
  }));

const bothClasses = (labels: number[]) => labels.includes(0) && labels.includes(1);

describe('ROC and PR curves', () => {
  it('the trapezoid area under the ROC curve is the rank AUC (weighted, ties one half)', () => {
    fc.assert(
      fc.property(rows, ({ scores, labels, weights }) => {
        const curve = rocCurve(scores, labels, weights);
        if (!bothClasses(labels)) expect(curve).toEqual([]);
        else expect(trapezoidArea(curve)).toBeCloseTo(auc(scores, labels, weights), 10);
      }),
    );
  });

  it('the step area under the PR curve is the average precision', () => {
    fc.assert(
      fc.property(rows, ({ scores, labels, weights }) => {
        const curve = prCurve(scores, labels, weights);
        if (!bothClasses(labels)) expect(curve).toEqual([]);
        else expect(stepArea(curve)).toBeCloseTo(averagePrecision(scores, labels, weights), 10);
      }),
    );
  });

  it('the ROC curve runs monotonically from (0, 0) to (1, 1); recall ends at 1', () => {
    fc.assert(
      fc.property(rows, ({ scores, labels }) => {
        fc.pre(bothClasses(labels));
        const roc = rocCurve(scores, labels);
        expect(roc[0]).toEqual({ x: 0, y: 0 });
        expect(roc.at(-1)?.x).toBeCloseTo(1, 12);
        expect(roc.at(-1)?.y).toBeCloseTo(1, 12);
        for (let i = 1; i < roc.length; i++) {
          expect(roc[i].x).toBeGreaterThanOrEqual(roc[i - 1].x);
          expect(roc[i].y).toBeGreaterThanOrEqual(roc[i - 1].y);
        }
        const pr = prCurve(scores, labels);
        expect(pr[0].x).toBe(0);
        expect(pr.at(-1)?.x).toBeCloseTo(1, 12);
        for (const p of pr) expect(p.y >= 0 && p.y <= 1).toBe(true);
      }),
    );
  });

  it('a perfect ranking has AUC 1 and AP 1; a reversed one AUC 0', () => {
    const scores = [0.9, 0.8, 0.3, 0.1];
    expect(trapezoidArea(rocCurve(scores, [1, 1, 0, 0]))).toBe(1);
    expect(stepArea(prCurve(scores, [1, 1, 0, 0]))).toBe(1);
    expect(trapezoidArea(rocCurve(scores, [0, 0, 1, 1]))).toBe(0);
    // one positive ranked second of four: AP = 1/2
    expect(stepArea(prCurve(scores, [0, 1, 0, 0]))).toBe(0.5);
  });
});

describe('calibration bins', () => {
  it('cover every row exactly once, each score in its bin', () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 20 }), ({ scores, labels, weights }, numBins) => {
        const bins = calibrationBins(scores, labels, weights, numBins);
        expect(bins).toHaveLength(numBins);
        expect(bins.reduce((n, b) => n + b.count, 0)).toBe(scores.length);
        const totalWeight = weights.reduce((a, b) => a + b, 0);
        expect(bins.reduce((n, b) => n + b.weight, 0)).toBeCloseTo(totalWeight, 9);
        for (const b of bins) {
          if (b.count === 0) continue;
          expect(b.meanScore).toBeGreaterThanOrEqual(b.lo - 1e-12);
          expect(b.meanScore).toBeLessThanOrEqual(b.hi + 1e-12);
          expect(b.observedRate).toBeGreaterThanOrEqual(0);
          expect(b.observedRate).toBeLessThanOrEqual(1);
        }
        const ece = expectedCalibrationError(bins);
        expect(ece).toBeGreaterThanOrEqual(0);
        expect(ece).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('bins a hand-made example', () => {
    const bins = calibrationBins([0.05, 0.15, 0.95, 1], [0, 1, 1, 1], undefined, 2);
    expect(bins.map((b) => b.count)).toEqual([2, 2]);
    expect(bins[0].meanScore).toBeCloseTo(0.1, 12);
    expect(bins[0].observedRate).toBe(0.5);
    expect(bins[1].observedRate).toBe(1);
    // |0.1 − 0.5|·2/4 + |0.975 − 1|·2/4
    expect(expectedCalibrationError(bins)).toBeCloseTo(0.2125, 12);
  });
});

describe('top-k precision and recall', () => {
  it('counts the positives in the top share of the queue', () => {
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0];
    const labels = [1, 0, 1, 0, 0, 0, 0, 1, 0, 0];
    expect(topKPrecisionRecall(scores, labels, [0.1, 0.3, 1])).toEqual([
      { fraction: 0.1, k: 1, precision: 1, recall: 1 / 3 },
      { fraction: 0.3, k: 3, precision: 2 / 3, recall: 2 / 3 },
      { fraction: 1, k: 10, precision: 0.3, recall: 1 },
    ]);
  });
});

describe('thinCurve', () => {
  it('keeps the ends and at most max points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 500 }), fc.integer({ min: 2, max: 100 }), (n, max) => {
        const pts = Array.from({ length: n }, (_, i) => ({ x: i, y: i }));
        const out = thinCurve(pts, max);
        expect(out.length).toBe(Math.min(n, max));
        expect(out[0]).toEqual(pts[0]);
        expect(out.at(-1)).toEqual(pts.at(-1));
      }),
    );
  });
});
