/**
 * Single values for a trap's row, written the way the batch writes them: a value at a quantile of
 * the batch (repeated in its column as often as real cells there are), a carried value in the
 * batch's number format or snapped onto a value the batch repeats, and the real row nearest to a
 * trap in rank space, which lends the values a trap cannot carry (docs/validator.md, "Traps").
 */
import type { Batch } from '../../data/batch.js';
import { lowerBound } from '../../features/stats.js';
import type { Rng } from '../../random.js';
import { type ColumnProfile, decimalsOf, roundTo } from './batch-profile.js';
import type { RowPlan } from './trap-row.js';

/**
 * The batch's value at quantile q: where the nearest real value is a point mass (0, 0.5, 1 …
 * repeated) that value, since real values there repeat too; else interpolated between the two
 * neighbours and written with their decimals, so it is in range and in format (fixed decimals or
 * significant digits alike) without copying a real cell.
 */
export function valueNear(col: ColumnProfile, q: number): number {
  const s = col.sorted;
  if (s.length === 0) return Number.NaN;
  if (s.length === 1) return s[0];
  const pos = Math.min(1, Math.max(0, q)) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  const near = pos - lo < 0.5 ? lo : hi;
  if ((near > 0 && s[near - 1] === s[near]) || (near + 1 < s.length && s[near + 1] === s[near]))
    return s[near];
  const decimals = Math.max(decimalsOf(s[lo]), decimalsOf(s[hi]));
  return roundTo(s[lo] + (pos - lo) * (s[hi] - s[lo]), decimals);
}

/** How often each value occurs in a column of the whole feature table (built on first use). */
export function countsOf(plan: RowPlan, batch: Batch, name: string): Map<number, number> {
  let counts = plan.valueCounts.get(name);
  if (!counts) {
    counts = new Map();
    for (const v of batch.features.columns.get(name)!)
      if (!Number.isNaN(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
    plan.valueCounts.set(name, counts);
  }
  return counts;
}

/**
 * A feature cell at quantile q, repeated in its column as often as real cells there are: the
 * batch's value at q when that value occurs more than once in the table (ties, coarse rounding),
 * else a value between its neighbours that the table does not have yet.
 */
export function cellNear(
  plan: RowPlan,
  batch: Batch,
  name: string,
  col: ColumnProfile,
  q: number,
  rng: Rng,
  /** Decimals the value this cell stands for was written with (its row's own format). */
  written?: number,
): number {
  const s = col.sorted;
  if (s.length < 2) return valueNear(col, q);
  const counts = countsOf(plan, batch, name);
  const pos = Math.min(1, Math.max(0, q)) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  const near = s[pos - lo < 0.5 ? lo : hi];
  if (Number.isInteger(near) || (counts.get(near) ?? 0) > 1) return near;
  // Written as the value it stands for was (a row's cells share a format: a producer printing
  // significant digits writes a small actor's values with more decimals), else with the decimals
  // of one of its neighbours, drawn: always taking the longer neighbour's (as an earlier version
  // did) gave trap rows more decimals than real ones (`row.mean_decimals`).
  const own = written === undefined ? undefined : Math.min(written, col.decimals);
  const finest = Math.max(decimalsOf(s[lo]), decimalsOf(s[hi]));
  // Where the rounding grid between the neighbours is full, a little further out (real values
  // there are unique too, so the trap's must be).
  for (let k = 0; k < 4; k++) {
    const from = s[Math.max(0, lo - k)];
    const to = s[Math.min(s.length - 1, hi + k)];
    for (let attempt = 0; attempt < 6; attempt++) {
      const f = k === 0 && attempt === 0 ? pos - lo : rng.next();
      const decimals =
        attempt < 3 && own !== undefined ? own : attempt < 4 ? decimalsOf(rng.bool() ? from : to) : finest;
      const v = roundTo(from + f * (to - from), decimals);
      if (!counts.has(v)) {
        counts.set(v, 1);
        return v;
      }
    }
  }
  return near;
}

/**
 * A carried value next to a value the batch repeats may become that value: real cells there often
 * repeat (scheme members, coarse rounding), and a value from another day never would.
 */
export function snapToRepeated(
  plan: RowPlan,
  batch: Batch,
  name: string,
  col: ColumnProfile,
  v: number,
  rng: Rng,
): number {
  if (Number.isInteger(v) || col.sorted.length < 2) return v;
  const counts = countsOf(plan, batch, name);
  if (counts.has(v)) return v;
  const s = col.sorted;
  const lo = lowerBound(s, v);
  const below = lo > 0 ? s[lo - 1] : Number.NaN;
  const above = lo < s.length ? s[lo] : Number.NaN;
  const nearest = Number.isNaN(below) || (!Number.isNaN(above) && above - v < v - below) ? above : below;
  // Half the time: a real one-off next to a repeated value is as common as a repeat.
  return (counts.get(nearest) ?? 0) > 1 && rng.bool(0.5) ? nearest : v;
}

/** Is v one of the column's values? */
function hasValue(sorted: Float64Array, v: number): boolean {
  const at = lowerBound(sorted, v);
  return at < sorted.length && sorted[at] === v;
}

/** Decimals of each of a column's sorted values, computed once per column profile. */
const sortedDecimals = new WeakMap<ColumnProfile, Uint8Array>();

function decimalsOfSorted(col: ColumnProfile): Uint8Array {
  let out = sortedDecimals.get(col);
  if (!out) {
    out = Uint8Array.from(col.sorted, decimalsOf);
    sortedDecimals.set(col, out);
  }
  return out;
}

/** Values of the batch next to a carried one that say how values of its size are written. */
const FORMAT_NEIGHBOURS = 40;
/** Below this share of neighbours written as coarsely, a carried value is coarser than the batch writes. */
const COARSE_SHARE = 0.05;

/**
 * A carried value in the batch's format: no more decimals than the batch writes, and not clearly
 * coarser than the batch writes values of its size (another day of the producer may round USD to
 * whole units where this one keeps six decimals): finer digits are then drawn below the value's
 * last one. Judged among the value's neighbours, not the whole column: a producer printing
 * significant digits writes large values with few decimals and small ones with many, and a round
 * sum is as common in a trap's source as among real values around it; padding such values by the
 * column's typical decimals gave trap rows a narrower spread of decimals than real rows
 * (`row.mean_decimals`, `flows.amount_decimals`).
 */
export function inFormat(v: number, col: ColumnProfile, rng: Rng): number {
  const d = decimalsOf(v);
  if (d > col.decimals) return roundTo(v, col.decimals);
  const s = col.sorted;
  if (v === 0 || s.length === 0 || hasValue(s, v)) return v;
  const decimals = decimalsOfSorted(col);
  const at = lowerBound(s, v);
  const from = Math.max(0, Math.min(at - FORMAT_NEIGHBOURS / 2, s.length - FORMAT_NEIGHBOURS));
  const to = Math.min(s.length, from + FORMAT_NEIGHBOURS);
  const near: number[] = [];
  let asCoarse = 0;
  for (let k = from; k < to; k++) {
    near.push(decimals[k]);
    if (decimals[k] <= d) asCoarse++;
  }
  if (asCoarse >= COARSE_SHARE * near.length) return v;
  near.sort((a, b) => a - b);
  const target = near[near.length >> 1];
  if (target > 6) return v;
  return roundTo(v + (rng.next() - 0.5) * 10 ** -d, target);
}

/**
 * The row among `candidates` (feature-table rows of alerts; all of them when omitted) nearest to
 * the given quantiles in rank space, a gap against a value counting as far.
 */
export function nearestDonor(
  plan: RowPlan,
  width: number,
  quantiles: (j: number) => number | null | undefined,
  exclude: ReadonlySet<number>,
  candidates?: readonly number[],
): number {
  return nearestDonors(plan, width, quantiles, exclude, candidates, 1)[0] ?? -1;
}

/** The `k` rows nearest to the given quantiles (as `nearestDonor`), nearest first. */
export function nearestDonors(
  plan: RowPlan,
  width: number,
  quantiles: (j: number) => number | null | undefined,
  exclude: ReadonlySet<number>,
  candidates: readonly number[] | undefined,
  k: number,
): number[] {
  const want = Array.from({ length: width }, (_, j) => quantiles(j));
  const ks = candidates
    ? candidates.map((r) => plan.donorSlot.get(r)).filter((slot): slot is number => slot !== undefined)
    : Array.from(plan.donorRows.keys());
  // The k best so far, ascending by distance (k is small: insertion keeps it sorted).
  const best: { row: number; distance: number }[] = [];
  for (const slot of ks) {
    if (exclude.has(plan.donorRows[slot])) continue;
    let d = 0;
    let n = 0;
    for (let j = 0; j < width; j++) {
      const q = want[j];
      if (q === undefined) continue;
      const have = plan.donorQuantiles[slot * width + j];
      n++;
      if (q === null || Number.isNaN(have)) d += q === null && Number.isNaN(have) ? 0 : 0.5;
      else d += Math.abs(q - have);
    }
    const distance = n === 0 ? 0 : d / n;
    if (best.length === k && !(distance < best[k - 1].distance)) continue;
    let at = best.length;
    while (at > 0 && distance < best[at - 1].distance) at--;
    best.splice(at, 0, { row: plan.donorRows[slot], distance });
    if (best.length > k) best.pop();
  }
  return best.map((b) => b.row);
}
