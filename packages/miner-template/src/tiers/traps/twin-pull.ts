/**
 * Near twins (docs/validator.md, "Tells found by distribution"): one real alert row in ten sits
 * almost on top of another alert row of its batch (the hops of a relay chain share their sums),
 * and the source of a bank trap had such a twin as often. The twin stays behind in the source
 * day, and conformance writes every cell with a little noise, so a trap alone sat farther from
 * its nearest other row than real rows do (`row.nearest_other`, the stealth audit's top tell).
 * A trap whose source had a near twin is pulled towards the joining batch's real row nearest to
 * it, until it sits about as near to that row as its source sat to its twin. The pull moves each
 * cell by about that distance in rank, a few hundredths: the trap keeps its signal.
 */
import type { BatchProfile } from './batch-profile.js';
import type { TrapMaterial } from './material.js';
import type { RowPlan } from './trap-row.js';

/**
 * Sources nearer than this to their nearest other row are pulled: the twins, where real rows and
 * sources had many near rows and traps none (10 % of real rows within 0.011, of traps 0.021).
 * Pulling up to 0.025 (where real rows and traps part at their 25th percentile) gave traps more
 * exactly shared cells than real rows have (`row.duplicated_cells`): audit 0.604 against 0.587.
 */
export const TWIN_DISTANCE = 0.012;

/**
 * The probability (0 = none) with which each of the trap's cells takes the value of the real row
 * `nearest`, so that the trap's rank distance to that row becomes its source's `nearestOther`.
 * The row's quantiles are the plan's, computed once per batch for the nearest-row search.
 */
export function twinPull(
  material: TrapMaterial,
  profile: BatchProfile,
  plan: RowPlan,
  nearest: number,
): number {
  const target = material.nearestOther;
  const slot = plan.donorSlot.get(nearest);
  if (target === undefined || !(target < TWIN_DISTANCE) || slot === undefined || !material.quantiles)
    return 0;
  const width = profile.columns.length;
  let sum = 0;
  let n = 0;
  for (let j = 0; j < width; j++) {
    const q = material.quantiles[profile.columns[j]];
    const have = plan.donorQuantiles[slot * width + j];
    if (q === null || q === undefined || Number.isNaN(have)) continue;
    sum += Math.abs(q - have);
    n++;
  }
  const current = n === 0 ? 0 : sum / n;
  return target < current ? 1 - target / current : 0;
}
