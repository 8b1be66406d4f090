/**
 * A synthetic trap's real footing (docs/validator.md, "Traps"): the synthetic world's alert brings
 * the truth and a rank profile; the batch's real alert nearest to that profile lends the trap its
 * typology, text, flows and row, so everything a miner sees has the batch's own joint structure.
 */
import type { Batch } from '../../data/batch.js';
import type { Rng } from '../../random.js';
import { type BatchProfile, quantileOf } from './batch-profile.js';
import type { TrapMaterial } from './material.js';
import { cellNear, nearestDonor } from './trap-cells.js';
import { isIdColumn, type RowPlan } from './trap-row.js';

/**
 * The real alert a synthetic trap is built on: its lender when it has one (synthetic-lenders.ts).
 * Else the typology of a random alert of the batch (so
 * typologies come at the batch's own rates), then among that typology's alerts the one whose row
 * is nearest to the synthetic alert's in rank space (so the trap looks like what its truth says),
 * each real alert a donor at most once.
 */
export function syntheticDonor(
  material: TrapMaterial,
  batch: Batch,
  profile: BatchProfile,
  plan: RowPlan,
  used: Set<number>,
  groupSize: number,
  rng: Rng,
): number {
  const lent = material.lender === undefined ? undefined : lenderAlert(material.lender, profile, used);
  if (lent !== undefined) return lent;
  const typology = batch.alerts[rng.int(0, batch.alerts.length - 1)].typology_type ?? 'unknown';
  const ofTypology = profile.alertsByTypology.get(typology) ?? batch.alerts.map((_, i) => i);
  // A group of synthetic alerts on one address stands on a real address with as many alerts.
  const wide =
    groupSize > 1
      ? ofTypology.filter((i) => profile.alertsOnRow(profile.alertRow[i]).length >= groupSize)
      : [];
  const alerts = wide.length > 0 ? wide : ofTypology;
  const rows = alerts.map((i) => profile.alertRow[i]).filter((r) => r >= 0 && !used.has(r));
  const quantiles = material.quantiles;
  const row = quantiles
    ? nearestDonor(plan, profile.columns.length, (j) => quantiles[profile.columns[j]], used, rows)
    : -1;
  if (row < 0) return alerts[rng.int(0, alerts.length - 1)];
  used.add(row);
  const onRow = alerts.filter((i) => profile.alertRow[i] === row);
  return onRow[rng.int(0, onRow.length - 1)];
}

/** The first alert on the lender's address, its row marked used; undefined when gone or used. */
function lenderAlert(lender: string, profile: BatchProfile, used: Set<number>): number | undefined {
  const first = profile.alertsOnAddress(lender)[0];
  if (first === undefined) return undefined;
  const row = profile.alertRow[first];
  if (used.has(row)) return undefined;
  used.add(row);
  return first;
}

/** Share of the way a synthetic row moves from its donor's ranks towards the synthetic alert's. */
export const SYNTHETIC_PULL = 0.1;

/**
 * A synthetic trap's row: its donor's, with the donor's gaps and integer cells (counts, flags,
 * ids, which the donor's flows agree with), and every other value re-drawn at a rank between the
 * donor's and the synthetic alert's, near the donor's: the row keeps a real row's joint structure
 * without copying its cells.
 */
export function syntheticRow(
  material: TrapMaterial,
  batch: Batch,
  profile: BatchProfile,
  plan: RowPlan,
  donorRow: number,
  rng: Rng,
): Record<string, number | null> | null {
  if (donorRow < 0) return null;
  const row: Record<string, number | null> = {};
  for (const name of profile.columns) {
    const v = batch.features.columns.get(name)![donorRow];
    const col = profile.column.get(name)!;
    if (Number.isNaN(v) || Number.isInteger(v) || isIdColumn(name)) {
      row[name] = Number.isNaN(v) ? null : v;
      continue;
    }
    const own = quantileOf(col.sorted, v);
    const q = material.quantiles?.[name];
    const target = q === null || q === undefined ? own : own + SYNTHETIC_PULL * (q - own);
    row[name] = cellNear(
      plan,
      batch,
      name,
      col,
      target + (rng.next() - 0.5) / Math.max(1, col.sorted.length),
      rng,
    );
  }
  return row;
}
