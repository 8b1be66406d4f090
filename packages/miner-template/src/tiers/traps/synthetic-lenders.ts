/**
 * Which real alert each synthetic trap stands on, and which truth it carries (docs/validator.md,
 * "Synthetic traps").
 *
 * A synthetic trap shows a miner a real alert of the batch (its lender, never sent), re-keyed and
 * jittered; the synthetic world lends it only a truth. Choosing, for each synthetic alert, the
 * real row nearest to it (as traps once were made) picked lenders where the synthetic world is
 * dense: rows with fewer gaps, more extreme anomaly scores and farther from other rows than real
 * alerts (the stealth audit found them by `row.nulls`, `f.graph_anomaly_score`,
 * `row.nearest_other`: AUC 0.70). So lenders are drawn at random, whatever their truths, and
 * truths are given among them: each lender's risk is the share of positives among the synthetic
 * addresses nearest to its row, and the riskiest take the positives.
 */
import type { Rng } from '../../random.js';
import { quantileOf } from './batch-profile.js';
import type { MaterialContext } from './material.js';

/** Synthetic addresses a lender is compared with: enough for a near match, bounded in cost. */
const MAX_CANDIDATES = 3000;

/**
 * Share of the synthetic addresses whose truths make a lender's risk (at least 15). Wider
 * neighbourhoods give a smoother risk, which a model of real alerts agrees with more: pooled AUC
 * of such a model on the traps of 6 foreign 1 500-alert batches, 0.64 at 5 %, 0.71 at 15 %, 0.76
 * at 30 %. Wider still, the risk becomes one direction of the rank space that a single feature
 * could follow; 15 % keeps it local.
 */
const NEIGHBOUR_SHARE = 0.15;

/** Synthetic alerts that make one trap group, and the real alert they stand on. */
export interface LentGroup {
  /** Alert indexes of the synthetic world (of one truth; one trap address, see syntheticMaterial). */
  alerts: number[];
  /** The batch's real alert the group stands on (an index into its alerts). */
  lender: number;
}

interface Group {
  alerts: number[];
  row: number;
}

function addressGroups(ctx: MaterialContext): Group[] {
  const byAddress = new Map<string, Group>();
  ctx.batch.alerts.forEach((a, i) => {
    const row = ctx.rowOf.get(a.address);
    if (row === undefined) return;
    const g = byAddress.get(a.address);
    if (g) g.alerts.push(i);
    else byAddress.set(a.address, { alerts: [i], row });
  });
  return [...byAddress.values()];
}

/** Row-major quantiles of each group's row among its batch's alert rows (NaN = gap). */
function quantileMatrix(ctx: MaterialContext, groups: readonly Group[], columns: readonly string[]) {
  const out = new Float64Array(groups.length * columns.length);
  columns.forEach((name, c) => {
    const values = ctx.batch.features.columns.get(name)!;
    const sorted = ctx.sorted.get(name)!;
    groups.forEach((g, k) => {
      const v = values[g.row];
      out[k * columns.length + c] = Number.isNaN(v) ? Number.NaN : quantileOf(sorted, v);
    });
  });
  return out;
}

/** Mean |Δ quantile| over the columns, a gap against a value counting 0.5, two gaps 0. */
function distance(a: Float64Array, i: number, b: Float64Array, j: number, width: number): number {
  let d = 0;
  for (let c = 0; c < width; c++) {
    const x = a[i * width + c];
    const y = b[j * width + c];
    if (Number.isNaN(x) || Number.isNaN(y)) d += Number.isNaN(x) && Number.isNaN(y) ? 0 : 0.5;
    else d += Math.abs(x - y);
  }
  return width === 0 ? 0 : d / width;
}

/**
 * About `count` synthetic alerts, `wantPositive` of them positive, on random real addresses of
 * `real`, as many on each as it has alerts (the last cut to what is left). Every lender gets a
 * risk, the share of positives among the synthetic addresses nearest to its row; the riskiest
 * lenders take the positives, and each lender the nearest free synthetic alerts of its truth. The lenders are a
 * random draw whatever their truths, so which rows are traps says nothing. Fewer when the real
 * addresses run out first; the caller fills the rest without lenders.
 */
export function matchLenders(
  world: MaterialContext,
  truth: readonly (0 | 1)[],
  real: MaterialContext,
  count: number,
  wantPositive: number,
  rng: Rng,
): LentGroup[] {
  const columns = [...real.batch.features.columns.keys()].filter((c) => world.batch.features.columns.has(c));
  const width = columns.length;
  const candidates = rng.shuffle(addressGroups(world)).slice(0, MAX_CANDIDATES);
  const synthetic = quantileMatrix(world, candidates, columns);
  const distancesOf = (groups: readonly Group[]) => {
    const rows = quantileMatrix(real, groups, columns);
    return groups.map((_, l) =>
      Float32Array.from(candidates, (_, k) => distance(rows, l, synthetic, k, width)),
    );
  };
  const all = rng.shuffle(addressGroups(real));
  let drawn = 0;
  for (let room = 0; room < count && drawn < all.length; drawn++) room += all[drawn].alerts.length;
  const lenders = all.slice(0, drawn);
  const distances = distancesOf(lenders);
  const neighbours = Math.max(15, Math.round(NEIGHBOUR_SHARE * candidates.length));
  const risk = distances.map((d) => {
    const order = Array.from(d.keys()).sort((a, b) => d[a] - d[b] || a - b);
    const near = order.slice(0, neighbours);
    return near.reduce((s, k) => s + truth[candidates[k].alerts[0]], 0) / Math.max(1, near.length);
  });

  const taken = new Uint8Array(candidates.length);
  const out: LentGroup[] = [];
  let positives = 0;
  let total = 0;
  /**
   * Gives a lender as many synthetic alerts of the truth still wanted as its address has alerts
   * (a trap group as large as a real one: `address.value_freq` told smaller ones), from the
   * nearest free synthetic groups.
   */
  const lend = (lender: Group, d: Float32Array) => {
    const label = positives < wantPositive ? 1 : 0;
    const left = label === 1 ? wantPositive - positives : count - wantPositive - (total - positives);
    const want = Math.min(lender.alerts.length, Math.max(1, left));
    const alerts: number[] = [];
    while (alerts.length < want) {
      let best = -1;
      for (let k = 0; k < candidates.length; k++) {
        if (taken[k] || truth[candidates[k].alerts[0]] !== label) continue;
        if (best < 0 || d[k] < d[best]) best = k;
      }
      if (best < 0) break;
      taken[best] = 1;
      alerts.push(...candidates[best].alerts.slice(0, want - alerts.length));
    }
    if (alerts.length === 0) return;
    for (const i of alerts) if (truth[i] === 1) positives++;
    total += alerts.length;
    out.push({ alerts, lender: lender.alerts[0] });
  };
  for (const l of Array.from(lenders.keys()).sort((a, b) => risk[b] - risk[a])) {
    if (total >= count) break;
    lend(lenders[l], distances[l]);
  }
  // When the synthetic world ran out of a truth: more lenders, in draw order.
  for (let l = drawn; l < all.length && total < count; l++) lend(all[l], distancesOf([all[l]])[0]);
  return out;
}
