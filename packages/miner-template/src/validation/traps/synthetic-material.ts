/**
 * Synthetic trap material, used while the trap bank is thin (the validator's first τ days).
 *
 * A synthetic trap stands on a real alert of the batch (its donor), drawn uniformly, so traps
 * are distributed like the batch's alerts: choosing donors to fit simulated alerts (as an earlier
 * design did) favoured the dense middle of the batch, and the missing tails were the detector's
 * best tell. Its truth comes from a world simulated at the batch's size, where truth is known by
 * construction: the donor's row, in rank space, is compared with the world's alerts, and the
 * share of positives among its nearest simulated neighbours is its chance of being a positive
 * trap. Truths are drawn from those chances (not thresholded), so no rule on the features
 * recovers them exactly, and at the batch's positive rate.
 */
import type { Batch } from '../../data/batch.js';
import { generateBatch } from '../../synthetic/generate.js';
import { Rng } from '../../synthetic/random.js';
import { extractMaterial, materialContext, pickByAddress, type TrapMaterial } from './material.js';

type Quantiles = Record<string, number | null>;

/** Simulated neighbours whose truths give a donor its chance of being positive. */
export const TRUTH_NEIGHBOURS = 15;
/**
 * Chances are raised to this power before drawing: the draw keeps some randomness (no rule on the
 * features recovers a trap's truth exactly) while following the neighbours closely enough that a
 * model with real skill ranks the traps nearly as well as with a threshold (measured on the
 * foreign producer: AUC 0.70 with 3, 0.67 with 1; docs/validator.md).
 */
export const TRUTH_SHARPNESS = 3;

/** Mean |Δq| over the columns both rows have (a gap against a value counts 0.5), NaN if none. */
function rankDistance(a: Quantiles, b: Quantiles): number {
  let d = 0;
  let n = 0;
  for (const name in a) {
    if (!(name in b)) continue;
    const x = a[name];
    const y = b[name];
    n++;
    if (x === null || y === null) d += x === null && y === null ? 0 : 0.5;
    else d += Math.abs(x - y);
  }
  return n === 0 ? Number.NaN : d / n;
}

/** Share of positives among the `k` world alerts nearest to `q`, shrunk towards `prior`. */
function positiveChance(
  q: Quantiles | null,
  world: readonly { q: Quantiles; truth: 0 | 1 }[],
  k: number,
  prior: number,
): number {
  if (!q || world.length === 0) return prior;
  const near = world
    .map((w) => ({ d: rankDistance(q, w.q), truth: w.truth }))
    .filter((x) => !Number.isNaN(x.d))
    .sort((a, b) => a.d - b.d)
    .slice(0, k);
  const positives = near.reduce((s, x) => s + x.truth, 0);
  return (positives + prior) / (near.length + 1);
}

/**
 * `count` materials with about `positiveRate` positives (the batch's real rate when the bank
 * knows it: traps richer in positives than real alerts would make "looks risky" a trap tell).
 */
export function syntheticMaterial(
  batch: Batch,
  options: { seed: number; count: number; positiveRate: number },
): TrapMaterial[] {
  if (options.count <= 0 || batch.alerts.length === 0) return [];
  const generated = generateBatch({
    network: batch.key.network,
    date: batch.key.processing_date,
    windowDays: batch.key.window_days,
    // Only a truth reference now (donors are real alerts): a few thousand alerts suffice.
    alerts: Math.min(5000, Math.max(300, batch.alerts.length)),
    seed: options.seed,
  });
  const worldCtx = materialContext(generated.batch);
  const world = generated.truth.alerts.flatMap((t, i) => {
    const m = extractMaterial(worldCtx, i, t.positive ? 1 : 0, 'synthetic');
    return m.quantiles ? [{ q: m.quantiles, truth: m.truth }] : [];
  });
  const prior = Math.min(0.5, Math.max(0.01, options.positiveRate));

  const rng = new Rng(options.seed, 'synthetic-material');
  const ctx = materialContext(batch);
  const all = batch.alerts.map((_, i) => i);
  const donors = pickByAddress(batch.alerts, all, options.count, (xs) => rng.shuffle(xs));
  const materials = donors.map((i) => extractMaterial(ctx, i, 0, 'synthetic'));
  // Alerts on one address share a row and so a chance; they are one draw, as one address is
  // labelled once.
  const firstOf = new Map<string, TrapMaterial>();
  for (const m of materials) if (!firstOf.has(m.alert.address)) firstOf.set(m.alert.address, m);
  const chances = [...firstOf.values()].map(
    (m) => positiveChance(m.quantiles, world, TRUTH_NEIGHBOURS, prior) ** TRUTH_SHARPNESS,
  );
  const chanceOf = new Map([...firstOf.keys()].map((a, k) => [a, chances[k]]));
  // Sampling without replacement in proportion to the chances (Gumbel top-k), as many positive
  // addresses as the batch's rate asks for.
  const addresses = [...chanceOf.keys()];
  const wanted = Math.round(options.positiveRate * addresses.length);
  const keyed = addresses.map((a) => ({
    a,
    key: Math.log(Math.max(1e-9, chanceOf.get(a)!)) - Math.log(-Math.log(Math.max(1e-12, rng.next()))),
  }));
  keyed.sort((x, y) => y.key - x.key);
  const positive = new Set(keyed.slice(0, wanted).map((x) => x.a));
  for (const m of materials) m.truth = positive.has(m.alert.address) ? 1 : 0;
  return materials;
}
