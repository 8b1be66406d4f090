/**
 * Synthetic trap material, used while the trap bank is thin (the validator's first τ days): alerts
 * of a world simulated at the batch's size, whose truth is known by construction, with the
 * quantiles of their values in that world, so conform.ts can write them onto the batch's own
 * distributions. Each stands on a real alert of the batch drawn at random (synthetic-lenders.ts).
 */
import type { Batch } from '../../data/batch.js';
import { Rng } from '../../random.js';
import { generateBatch } from '../../synthetic/generate.js';
import {
  alertRanks,
  extractMaterial,
  materialContext,
  pickByAddress,
  type TrapMaterial,
} from './material.js';
import { matchLenders } from './synthetic-lenders.js';

/**
 * `count` materials with about `positiveRate` positives (the batch's real rate when the bank
 * knows it: traps richer in positives than real alerts would make "looks risky" a trap tell).
 */
export function syntheticMaterial(
  batch: Batch,
  options: { seed: number; count: number; positiveRate: number },
): TrapMaterial[] {
  if (options.count <= 0) return [];
  const generated = generateBatch({
    network: batch.key.network,
    date: batch.key.processing_date,
    windowDays: batch.key.window_days,
    alerts: Math.max(300, batch.alerts.length, options.count * 4),
    seed: options.seed,
  });
  const world = generated.batch;
  const ctx = materialContext(world);
  const rng = new Rng(options.seed, 'synthetic-material');
  const truth = generated.truth.alerts.map((t) => (t.positive ? 1 : 0) as 0 | 1);
  const positives = truth.flatMap((t, i) => (t === 1 ? [i] : []));
  const wantPositive = Math.min(positives.length, Math.round(options.count * options.positiveRate));
  const real = materialContext(batch);
  const lent = matchLenders(ctx, truth, real, options.count, wantPositive, rng.fork('lenders'));
  const usedAddresses = new Set(lent.flatMap((g) => g.alerts.map((i) => world.alerts[i].address)));
  // What the real addresses could not take (a small batch), from the rest, without lenders.
  const havePositive = lent.reduce((n, g) => n + g.alerts.filter((i) => truth[i] === 1).length, 0);
  const lentCount = lent.reduce((n, g) => n + g.alerts.length, 0);
  const rest = (label: 0 | 1) =>
    truth.flatMap((t, i) => (t === label && !usedAddresses.has(world.alerts[i].address) ? [i] : []));
  const shuffle = (xs: number[][]) => rng.shuffle(xs);
  const morePositive = pickByAddress(world.alerts, rest(1), wantPositive - havePositive, shuffle);
  const moreNegative = pickByAddress(
    world.alerts,
    rest(0),
    options.count - lentCount - morePositive.length,
    shuffle,
  );
  return [
    ...lent.flatMap((g) => {
      // A lent trap is written at its lender's own ranks: the synthetic world lends it only its
      // truth. A group is one trap address: its alerts take the first one's synthetic address.
      const lender = { lender: batch.alerts[g.lender].address, ...alertRanks(real, g.lender) };
      const address = world.alerts[g.alerts[0]].address;
      return g.alerts.map((i) => {
        const material = extractMaterial(ctx, i, truth[i], 'synthetic');
        return { ...material, alert: { ...material.alert, address }, ...lender };
      });
    }),
    ...[...morePositive, ...moreNegative].map((i) => extractMaterial(ctx, i, truth[i], 'synthetic')),
  ];
}
