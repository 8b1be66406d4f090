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
import type { Rng } from '../../synthetic/random.js';
import { type BatchProfile, type ColumnProfile, decimalsOf, quantileOf, roundTo } from './batch-profile.js';
import type { TrapMaterial } from './material.js';

export type Carry = 'verbatim' | 'shift' | 'map';

/** Mean |batch quantile − source quantile| under which a column's values carry over as they are. */
export const CARRY_AGREEMENT = 0.035;
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
}

const isIdColumn = (name: string) => name === 'community_id' || name.endsWith('_id');

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
function agreement(sorted: Float64Array, pairs: readonly [number, number][]): number {
  if (pairs.length < MIN_AGREEMENT_SAMPLE || sorted.length === 0) return Number.NaN;
  let sum = 0;
  for (const [v, q] of pairs) sum += Math.abs(quantileOf(sorted, v) - q);
  return sum / pairs.length;
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
  };
}

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
function countsOf(plan: RowPlan, batch: Batch, name: string): Map<number, number> {
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
): number {
  const s = col.sorted;
  if (s.length < 2) return valueNear(col, q);
  const counts = countsOf(plan, batch, name);
  const pos = Math.min(1, Math.max(0, q)) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  const near = s[pos - lo < 0.5 ? lo : hi];
  if (Number.isInteger(near) || (counts.get(near) ?? 0) > 1) return near;
  const decimals = Math.max(decimalsOf(s[lo]), decimalsOf(s[hi]));
  // Where the rounding grid between the neighbours is full, a little further out (real values
  // there are unique too, so the trap's must be).
  for (let k = 0; k < 4; k++) {
    const from = s[Math.max(0, lo - k)];
    const to = s[Math.min(s.length - 1, hi + k)];
    for (let attempt = 0; attempt < 6; attempt++) {
      const f = k === 0 && attempt === 0 ? pos - lo : rng.next();
      const v = roundTo(from + f * (to - from), decimals);
      if (!counts.has(v)) {
        counts.set(v, 1);
        return v;
      }
    }
  }
  return near;
}

/** Binary search: is v one of the column's values? */
function hasValue(sorted: Float64Array, v: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === v;
}

/**
 * A carried value in the batch's format: no more decimals than the batch writes, and an integer
 * only where the batch's values are integers too (another producer day may round USD to whole
 * units where this one keeps cents).
 */
export function inFormat(v: number, col: ColumnProfile, integerShare: number, rng: Rng): number {
  let out = decimalsOf(v) > col.decimals ? roundTo(v, col.decimals) : v;
  if (
    Number.isInteger(out) &&
    out !== 0 &&
    integerShare < 0.1 &&
    !hasValue(col.sorted, out) &&
    col.decimals <= 6
  )
    out = roundTo(out + rng.next() - 0.5, col.decimals);
  return out;
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
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  const want = Array.from({ length: width }, (_, j) => quantiles(j));
  const ks = candidates
    ? candidates.map((r) => plan.donorSlot.get(r)).filter((k): k is number => k !== undefined)
    : Array.from(plan.donorRows.keys());
  for (const k of ks) {
    if (exclude.has(plan.donorRows[k])) continue;
    let d = 0;
    let n = 0;
    for (let j = 0; j < width; j++) {
      const q = want[j];
      if (q === undefined) continue;
      const have = plan.donorQuantiles[k * width + j];
      n++;
      if (q === null || Number.isNaN(have)) d += q === null && Number.isNaN(have) ? 0 : 0.5;
      else d += Math.abs(q - have);
    }
    const distance = n === 0 ? 0 : d / n;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = plan.donorRows[k];
    }
  }
  return best;
}

/**
 * The real alert a synthetic trap is built on: the typology of a random alert of the batch (so
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
  rng: Rng,
): number {
  const typology = batch.alerts[rng.int(0, batch.alerts.length - 1)].typology_type ?? 'unknown';
  const alerts = profile.alertsByTypology.get(typology) ?? batch.alerts.map((_, i) => i);
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

/** Share of the way a synthetic row moves from its donor's ranks towards the synthetic alert's. */
export const SYNTHETIC_PULL = 0.2;

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

/** A bank trap's feature row (null when its source had none). */
export function bankRow(
  material: TrapMaterial,
  batch: Batch,
  profile: BatchProfile,
  plan: RowPlan,
  rng: Rng,
): Record<string, number | null> | null {
  if (!material.quantiles || !material.featureRow) return null;
  const days = daysBetween(material.sourceDate, batch.key.processing_date);
  const width = profile.columns.length;
  let donor = -1;
  const donorRow = () => {
    if (donor < 0)
      donor = nearestDonor(plan, width, (j) => material.quantiles![profile.columns[j]], new Set());
    return donor;
  };
  const row: Record<string, number | null> = {};
  for (const name of profile.columns) {
    const col = profile.column.get(name)!;
    const values = batch.features.columns.get(name)!;
    const v = material.featureRow[name];
    const q = material.quantiles[name];
    const fromDonor = () => {
      const r = donorRow();
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
          ? fromDonor()
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
    const share = plan.integerShare.get(name) ?? 1;
    switch (plan.carry.get(name) ?? 'map') {
      case 'verbatim':
        row[name] = inFormat(v, col, share, rng);
        break;
      case 'shift':
        row[name] = inFormat(plan.shiftOf.get(name)!(v, days), col, share, rng);
        break;
      case 'map':
        row[name] = cellNear(
          plan,
          batch,
          name,
          col,
          q + (rng.next() - 0.5) / Math.max(1, material.sourceRows),
          rng,
        );
        break;
    }
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
  if (carry === 'verbatim' || q === null || col.sorted.length === 0) {
    let ints = 0;
    for (const x of col.sorted) if (Number.isInteger(x)) ints++;
    return inFormat(v, col, col.sorted.length === 0 ? 1 : ints / col.sorted.length, rng);
  }
  return valueNear(col, q + (rng.next() - 0.5) / Math.max(1, material.sourceRows));
}
