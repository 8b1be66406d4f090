import { describe, expect, it } from 'vitest';
import { auc } from '../../gbdt/metric/auc.js';
import { Rng } from '../../random.js';
import { generateBatch } from '../../synthetic/generate.js';
import { materialContext } from './material.js';
import { matchLenders } from './synthetic-lenders.js';

function world(seed: number, alerts: number) {
  const g = generateBatch({ network: 'torus', date: '2026-03-10', windowDays: 7, alerts, seed });
  return { ctx: materialContext(g.batch), truth: g.truth.alerts.map((t) => (t.positive ? 1 : 0) as 0 | 1) };
}

describe('matchLenders', () => {
  const synthetic = world(11, 1200);
  const real = world(12, 800);

  it('gives distinct lenders the asked number of alerts and positives, each synthetic group once', () => {
    const groups = matchLenders(synthetic.ctx, synthetic.truth, real.ctx, 60, 9, new Rng(1));
    const alerts = groups.flatMap((g) => g.alerts);
    expect(alerts.length).toBe(60);
    expect(alerts.filter((i) => synthetic.truth[i] === 1).length).toBe(9);
    expect(new Set(alerts).size).toBe(alerts.length);
    const lenders = groups.map((g) => real.ctx.batch.alerts[g.lender].address);
    expect(new Set(lenders).size).toBe(lenders.length);
    // a group never has more alerts than its lender's address
    for (const g of groups) {
      const onLender = real.ctx.batch.alerts.filter((a) => a.address === lenders[groups.indexOf(g)]).length;
      expect(g.alerts.length).toBeLessThanOrEqual(onLender);
    }
  });

  it('draws lenders whatever they look like: their confidence is spread like every alert', () => {
    const conf = (i: number) => real.ctx.batch.alerts[i].alert_confidence_score;
    const lent = new Set<number>();
    for (let seed = 1; seed <= 6; seed++)
      for (const g of matchLenders(synthetic.ctx, synthetic.truth, real.ctx, 60, 9, new Rng(seed)))
        lent.add(g.lender);
    const all = real.ctx.batch.alerts.map((_, i) => i);
    // lenders against every alert: AUC near 0.5 when the draw ignores what a row is
    const separation = auc(
      Float64Array.from(all, conf),
      Float64Array.from(all, (i) => (lent.has(i) ? 1 : 0)),
    );
    expect(Math.abs(separation - 0.5)).toBeLessThan(0.08);
  });

  it('on its own world, gives the lenders truths that agree with their real ones', () => {
    // the synthetic world lending to itself: a lender's risk comes from its neighbours' truths
    const groups = matchLenders(synthetic.ctx, synthetic.truth, synthetic.ctx, 200, 30, new Rng(3));
    const given = groups.flatMap((g) => g.alerts.map((i) => synthetic.truth[i]));
    const own = groups.flatMap((g) => g.alerts.map(() => synthetic.truth[g.lender]));
    expect(auc(Float64Array.from(given), Float64Array.from(own))).toBeGreaterThan(0.7);
  });
});
