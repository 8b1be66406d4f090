/**
 * The numbers of a trap: its feature row and its alert's volume and confidence (docs/validator.md,
 * "Traps").
 *
 * Bank material comes from an earlier batch of the same producer, but that batch may describe a
 * different world: some columns keep their distribution from day to day (counts, ratios, scores),
 * others do not (graph scale, timestamps, weekdays, community ids). Per column the pool decides,
 * from all of its bank material at once, how a source value is carried over:
 * - verbatim, when the source values land on about the quantiles of this batch they had in their
 *   own: a verbatim value is then a draw from the batch's own distribution, the row keeps its
 *   exact joint structure (sums, structural gaps, rounding) and the alert keeps its signal;
 * - shifted, when that holds once time moves by the days between the two batches (timestamps by
 *   whole days, weekdays modulo 7);
 * - mapped, otherwise: the batch's value at the source quantile, so the rank, and with it the
 *   signal, carries over while the scale is the batch's.
 * Id-like columns (community_id) name things of the source world: a trap takes the id of the real
 * alert row nearest to it in rank space (a row like it sits in such a community), and so do
 * columns the source lacked. Gaps are redrawn at the batch's per-column rates, which the producer
 * varies from day to day. Every value is written in the batch's
 * format (its decimals, integer or not) so rounding tells nothing.
 */
import type { Batch } from '../../data/batch.js';
import type { Rng } from '../../random.js';
import { type BatchProfile, type ColumnProfile, decimalsOf, quantileOf } from './batch-profile.js';
import type { TrapMaterial } from './material.js';
import { cellNear, inFormat, nearestDonor, snapToRepeated, valueNear } from './trap-cells.js';
import { twinPull } from './twin-pull.js';

export type Carry = 'verbatim' | 'shift' | 'map';

/** Mean |batch quantile − source quantile| under which a column's values carry over as they are. */
export const CARRY_AGREEMENT = 0.035;
/** Mean signed |batch quantile − source quantile| under which a column has not shifted. */
export const CARRY_BIAS = 0.015;
/** Fewer bank values than this cannot show agreement: such columns are mapped. */
const MIN_AGREEMENT_SAMPLE = 12;
const DAY_MS = 86_400_000;

export interface RowPlan {
  carry: Map<string, Carry>;
  /** Per column, the agreement statistic of the chosen carry (NaN when mapped for lack of data). */
  agreement: Map<string, number>;
  volume: Carry;
  confidence: Carry;
  /** Rows of the batch's alerts (each once) and their values' quantiles, for nearest donors. */
  donorRows: Int32Array;
  donorQuantiles: Float64Array;
  /** Per column: how often each value occurs in the feature table (filled on first use). */
  valueCounts: Map<string, Map<number, number>>;
  /** Index into donorRows of each row. */
  donorSlot: Map<number, number>;
  /** Per column: share of its present alert-row values that are integers. */
  integerShare: Map<string, number>;
  /** Per column: how its values move with the date, when they do. */
  shiftOf: Map<string, (v: number, days: number) => number>;
  /** Per column: share of the pool's bank material missing it, when there is enough of it. */
  bankMissing: Map<string, number>;
  /** Feature-table row of every address that has one. */
  rowOf: Map<string, number>;
  /** What each bank source value (`sourceDate|column|value`) became, so equal values stay equal. */
  carried: Map<string, number>;
}

export const isIdColumn = (name: string) => name === 'community_id' || name.endsWith('_id');

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function shiftFor(name: string, col: ColumnProfile): ((v: number, days: number) => number) | undefined {
  const s = col.sorted;
  if (s.length === 0) return undefined;
  const median = s[s.length >> 1];
  if (median >= 1e11) return (v, days) => v + days * DAY_MS;
  if (median >= 1e9 && name.includes('timestamp')) return (v, days) => v + days * 86_400;
  const weekday = /(^|_)day$/.test(name) && s[0] >= 0 && s[s.length - 1] <= 6 && s.every(Number.isInteger);
  if (weekday) return (v, days) => (((v + days) % 7) + 7) % 7;
  return undefined;
}

/** Mean |quantile in the batch − quantile in the source| of the pairs, or NaN when too few. */
/**
 * How far the pairs' values sit from their source quantiles in the batch: the mean |Δq|, or the
 * mean signed Δq scaled to the same threshold when that is worse (a whole column a little off in
 * one direction, as USD columns are when the day's prices differ, is a shift the mean |Δq| of a
 * few dozen values hides).
 */
function agreement(sorted: Float64Array, pairs: readonly [number, number][]): number {
  if (pairs.length < MIN_AGREEMENT_SAMPLE || sorted.length === 0) return Number.NaN;
  let sum = 0;
  let signed = 0;
  for (const [v, q] of pairs) {
    const d = quantileOf(sorted, v) - q;
    sum += Math.abs(d);
    signed += d;
  }
  return Math.max(sum, (Math.abs(signed) * CARRY_AGREEMENT) / CARRY_BIAS) / pairs.length;
}

function chooseCarry(
  sorted: Float64Array,
  pairs: readonly { v: number; q: number; days: number }[],
  shift: ((v: number, days: number) => number) | undefined,
): { carry: Carry; stat: number } {
  const plain = agreement(
    sorted,
    pairs.map((p) => [p.v, p.q]),
  );
  const shifted = shift
    ? agreement(
        sorted,
        pairs.map((p) => [shift(p.v, p.days), p.q]),
      )
    : Number.NaN;
  // Time columns shift whenever that fits at least as well: a timestamp from yesterday is wrong
  // even where the two days' distributions happen to overlap.
  if (shift && shifted <= CARRY_AGREEMENT && !(plain < shifted - 0.01))
    return { carry: 'shift', stat: shifted };
  if (plain <= CARRY_AGREEMENT) return { carry: 'verbatim', stat: plain };
  return { carry: 'map', stat: Math.min(plain, Number.isNaN(shifted) ? plain : shifted) };
}

export function planRows(batch: Batch, profile: BatchProfile, materials: readonly TrapMaterial[]): RowPlan {
  const bank = materials.filter((m) => m.origin === 'bank');
  const date = batch.key.processing_date;
  const carry = new Map<string, Carry>();
  const stats = new Map<string, number>();
  const shiftOf = new Map<string, (v: number, days: number) => number>();
  const integerShare = new Map<string, number>();
  const bankMissing = new Map<string, number>();
  for (const name of profile.columns) {
    const col = profile.column.get(name)!;
    let ints = 0;
    for (const v of col.sorted) if (Number.isInteger(v)) ints++;
    integerShare.set(name, col.sorted.length === 0 ? 1 : ints / col.sorted.length);
    const shift = shiftFor(name, col);
    if (shift) shiftOf.set(name, shift);
    let missing = 0;
    let seen = 0;
    for (const m of bank) {
      const v = m.featureRow?.[name];
      if (v === undefined) continue;
      seen++;
      if (v === null) missing++;
    }
    // The pool's own rate when it has enough bank rows (it also corrects the sample's chance
    // excess or lack of gaps), else each material's source rate.
    if (seen >= MIN_AGREEMENT_SAMPLE) bankMissing.set(name, missing / seen);
    if (isIdColumn(name)) continue;
    const pairs: { v: number; q: number; days: number }[] = [];
    for (const m of bank) {
      const v = m.featureRow?.[name];
      const q = m.quantiles?.[name];
      if (v === null || v === undefined || q === null || q === undefined) continue;
      pairs.push({ v, q, days: daysBetween(m.sourceDate, date) });
    }
    const chosen = chooseCarry(col.sorted, pairs, shift);
    carry.set(name, chosen.carry);
    stats.set(name, chosen.stat);
  }
  const alertCarry = (field: 'volume_usd' | 'alert_confidence_score', col: ColumnProfile) =>
    chooseCarry(
      col.sorted,
      bank.flatMap((m) => {
        const v = m.alert[field];
        const q = m.alertQuantiles[field];
        return Number.isFinite(v) && q !== null ? [{ v, q, days: 0 }] : [];
      }),
      undefined,
    ).carry;

  const donorRows = Int32Array.from(new Set([...profile.alertRow].filter((r) => r >= 0)));
  const width = profile.columns.length;
  const donorQuantiles = new Float64Array(donorRows.length * width);
  profile.columns.forEach((name, j) => {
    const values = batch.features.columns.get(name)!;
    const sorted = profile.column.get(name)!.sorted;
    donorRows.forEach((r, k) => {
      donorQuantiles[k * width + j] = quantileOf(sorted, values[r]);
    });
  });
  return {
    carry,
    agreement: stats,
    volume: alertCarry('volume_usd', profile.volume),
    confidence: alertCarry('alert_confidence_score', profile.confidence),
    donorRows,
    donorQuantiles,
    valueCounts: new Map(),
    donorSlot: new Map(Array.from(donorRows, (r, k) => [r, k])),
    integerShare,
    shiftOf,
    bankMissing,
    rowOf: new Map(batch.features.address.map((a, r) => [a, r])),
    carried: new Map(),
  };
}

/** A bank trap's feature row (null when its source had none). */
export function bankRow(
  material: TrapMaterial,
  batch: Batch,
  profile: BatchProfile,
  plan: RowPlan,
  /**
   * The real row nearest to the material's in rank space (nearestDonor), -1 when none. Measured:
   * borrowing from one of the five nearest instead left trap rows 8 % farther from their nearest
   * other row than real rows are (`row.nearest_other`); from the nearest, level with them.
   */
  nearest: number,
  rng: Rng,
): Record<string, number | null> | null {
  if (!material.quantiles || !material.featureRow) return null;
  const days = daysBetween(material.sourceDate, batch.key.processing_date);
  const width = profile.columns.length;
  const pull = twinPull(material, profile, plan, nearest);
  const row: Record<string, number | null> = {};
  for (const name of profile.columns) {
    const col = profile.column.get(name)!;
    const values = batch.features.columns.get(name)!;
    const v = material.featureRow[name];
    const q = material.quantiles[name];
    const fromDonor = (fill = false) => {
      let r = nearest;
      // Filling a gap needs a value: the nearest row that has one.
      if (fill && r >= 0 && Number.isNaN(values[r])) {
        const present = Array.from(plan.donorRows).filter((x) => !Number.isNaN(values[x]));
        r = nearestDonor(plan, width, (j) => material.quantiles![profile.columns[j]], new Set(), present);
      }
      if (r < 0 || Number.isNaN(values[r])) return null;
      if (Number.isInteger(values[r]) || isIdColumn(name)) return values[r];
      const q = quantileOf(col.sorted, values[r]) + (rng.next() - 0.5) / col.sorted.length;
      return cellNear(plan, batch, name, col, q, rng);
    };
    // A column the source lacked: the nearest real row's value, in its gap pattern.
    if (q === undefined || v === undefined) {
      row[name] = fromDonor();
      continue;
    }
    // Gaps at the batch's rate: extra ones drawn at random (as the producer's random gaps are),
    // fewer by filling the source's gaps where the nearest real row has a value (so structural
    // gaps, which the nearest row shares, stay).
    const sourceRate = plan.bankMissing.get(name) ?? material.missingRates?.[name] ?? col.missingRate;
    if (v === null || q === null) {
      row[name] =
        sourceRate > col.missingRate && rng.bool((sourceRate - col.missingRate) / sourceRate)
          ? fromDonor(true)
          : null;
      continue;
    }
    if (col.missingRate > sourceRate && rng.bool((col.missingRate - sourceRate) / (1 - sourceRate))) {
      row[name] = null;
      continue;
    }
    if (isIdColumn(name)) {
      row[name] = fromDonor() ?? v;
      continue;
    }
    // Pulled to a twin: the twin's own value, in as many cells as the pull is strong (real twins
    // share exact sums rather than sit a little apart in every column).
    if (pull > 0 && !Number.isNaN(values[nearest]) && rng.bool(pull)) {
      row[name] = values[nearest];
      continue;
    }
    // One source value becomes one value here: rows that shared it in their source share it as
    // traps, as real rows share theirs (`row.duplicated_cells`).
    const memo = `${material.sourceDate}|${name}|${v}`;
    const carried = plan.carried.get(memo);
    if (carried !== undefined) {
      row[name] = carried;
      continue;
    }
    switch (plan.carry.get(name) ?? 'map') {
      case 'verbatim':
        row[name] = snapToRepeated(plan, batch, name, col, inFormat(v, col, rng), rng);
        break;
      case 'shift':
        row[name] = inFormat(plan.shiftOf.get(name)!(v, days), col, rng);
        break;
      case 'map':
        row[name] = cellNear(
          plan,
          batch,
          name,
          col,
          q + (rng.next() - 0.5) / Math.max(1, material.sourceRows),
          rng,
          decimalsOf(v),
        );
        break;
    }
    plan.carried.set(memo, row[name]!);
  }
  return row;
}

/** A bank trap's volume or confidence: carried like a feature column. */
export function bankAlertNumber(
  material: TrapMaterial,
  field: 'volume_usd' | 'alert_confidence_score',
  col: ColumnProfile,
  carry: Carry,
  rng: Rng,
): number {
  const v = material.alert[field];
  const q = material.alertQuantiles[field];
  if (!Number.isFinite(v)) return Number.NaN;
  if (carry === 'verbatim' || q === null || col.sorted.length === 0) return inFormat(v, col, rng);
  return valueNear(col, q + (rng.next() - 0.5) / Math.max(1, material.sourceRows));
}
