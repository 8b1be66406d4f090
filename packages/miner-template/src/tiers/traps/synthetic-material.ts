/**
 * Synthetic trap material, used while the trap bank is thin (the validator's first τ days): alerts
 * of a world simulated at the batch's size, whose truth is known by construction, with the
 * quantiles of their values in that world, so conform.ts can write them onto the batch's own
 * distributions.
 */
import type { Batch } from '../../data/batch.js';
import { Rng } from '../../random.js';
import { generateBatch } from '../../synthetic/generate.js';
import { extractMaterial, materialContext, pickByAddress, type TrapMaterial } from './material.js';

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
  const positives: number[] = [];
  const negatives: number[] = [];
  generated.truth.alerts.forEach((t, i) => {
    (t.positive ? positives : negatives).push(i);
  });
  const wantPositive = Math.min(positives.length, Math.round(options.count * options.positiveRate));
  const shuffle = (xs: number[][]) => rng.shuffle(xs);
  const chosen = [
    ...pickByAddress(world.alerts, positives, wantPositive, shuffle).map((i) => [i, 1] as const),
    ...pickByAddress(world.alerts, negatives, options.count - wantPositive, shuffle).map(
      (i) => [i, 0] as const,
    ),
  ];

  return chosen.map(([i, truth]) => extractMaterial(ctx, i, truth, 'synthetic'));
}
