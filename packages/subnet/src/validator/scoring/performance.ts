/**
 * Performance of a miner (docs/validator.md, "Performance"), over a window of batch dates:
 *   perf = 0.2·T1 + 0.3·T2 + 0.5·T3
 * T1 and T2 are the means of t1 and t2 over the cycles of the last `windowDays` batch dates, from
 * the miner's first cycle on: a cycle it missed, failed or copied counts 0, so standing is lost by
 * not answering and never kept by copying. T3 is the mean, over the settled dates of the window
 * extended back by τ (so it always holds settled dates once the validator is older than τ), of the
 * date's mean t3 (missed, failed or copied cycles again 0). A miner with no settled date yet takes
 * the reference's T3: until its first settlement it competes on T1 and T2 alone. After settlement
 * t2 is the settled t2 (trap credit confirmed by labels, see settle-step.ts).
 *
 * Trap credit never outruns proven skill. Before a cycle's labels arrive its trap component is
 * capped at the miner's T3 (the reference's, while it has none) plus TRAP_CREDIT_MARGIN: traps can
 * confirm skill shown on real alerts, never replace it, so a miner that spots traps but cannot
 * rank real alerts gains at most the margin, and only until its own first settlement. While no
 * date has settled at all (a validator younger than τ) there is nothing to cap against and trap
 * credit counts in full; the traps' stealth is then the only defence. Pure.
 */

import { T1_WEIGHT, T2_WEIGHT, T3_WEIGHT, TRAP_CREDIT_MARGIN } from '@aml/miner-template/tiers';

export { T1_WEIGHT, T2_WEIGHT, T3_WEIGHT, TRAP_CREDIT_MARGIN };
export const PERFORMANCE_WINDOW_DAYS = 30;

export interface WindowCycle {
  cycleId: number;
  batchDate: string;
}

export interface CycleTiers {
  cycleId: number;
  t1: number;
  t2: number | null;
  t2Settled?: number | null;
  /** max(0, 2·AUC_traps − 1) of this answer, when known (stores older than it have none). */
  trapComponent?: number | null;
  /** Set when this answer was a copy: the whole cycle counts 0. */
  copyOf?: string | null;
  t3: number | null;
  settled: boolean;
}

export interface MinerHistory {
  /** First cycle the miner was ever scored in; earlier cycles of the window do not count for it. */
  firstCycleId: number;
  tiers: readonly CycleTiers[];
}

export interface WindowSpec {
  /** Batch date of the cycle being weighed (YYYY-MM-DD). */
  currentDate: string;
  windowDays?: number;
  tauDays: number;
  /** Every cycle of the extended window (T3 window), any order. */
  cycles: readonly WindowCycle[];
}

export interface Performance {
  perf: number;
  T1: number;
  T2: number;
  T3: number;
  /** Cycles of the T1/T2 window that counted for this miner. */
  cycles: number;
  /** Settled dates its T3 averages over (0: it took the reference's T3). */
  settledDates: number;
  t3FromReference: boolean;
}

const DAY_MS = 86_400_000;
const dateMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const unit = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? 0 : Math.min(1, Math.max(0, x));

function credited(row: CycleTiers | undefined): row is CycleTiers {
  return row !== undefined && !row.copyOf && row.t1 === 1;
}

interface Prepared {
  t12: WindowCycle[];
  /** Settled dates of the extended window with the cycles whose labels sufficed (reference t3 known). */
  settled: Map<string, number[]>;
}

function prepare(spec: WindowSpec, reference: MinerHistory): Prepared {
  const windowDays = spec.windowDays ?? PERFORMANCE_WINDOW_DAYS;
  const now = dateMs(spec.currentDate);
  const t12From = now - (windowDays - 1) * DAY_MS;
  const t3From = t12From - spec.tauDays * DAY_MS;
  const sorted = [...spec.cycles].sort((a, b) => a.cycleId - b.cycleId);
  const t12 = sorted.filter((c) => dateMs(c.batchDate) >= t12From && dateMs(c.batchDate) <= now);
  const refRows = new Map(reference.tiers.map((t) => [t.cycleId, t]));
  const settled = new Map<string, number[]>();
  for (const c of sorted) {
    const ms = dateMs(c.batchDate);
    if (ms < t3From || ms > now) continue;
    const ref = refRows.get(c.cycleId);
    if (!ref?.settled || ref.t3 === null) continue;
    const list = settled.get(c.batchDate) ?? [];
    list.push(c.cycleId);
    settled.set(c.batchDate, list);
  }
  return { t12, settled };
}

/** t2 with its trap component cut to `cap` (t2 = 0.5·trap component + 0.5·behaviour). */
function cappedT2(row: CycleTiers, cap: number | undefined): number {
  if (row.settled && row.t2Settled !== null && row.t2Settled !== undefined) return unit(row.t2Settled);
  const t2 = unit(row.t2);
  const trap = row.trapComponent;
  if (cap === undefined || trap === null || trap === undefined || !(trap > cap)) return t2;
  return unit(t2 - 0.5 * (trap - cap));
}

function evaluate(p: Prepared, history: MinerHistory, referenceT3: number | undefined): Performance {
  const rows = new Map(history.tiers.map((t) => [t.cycleId, t]));

  let dates = 0;
  let t3sum = 0;
  for (const cycleIds of p.settled.values()) {
    const own = cycleIds.filter((id) => id >= history.firstCycleId);
    if (own.length === 0) continue;
    let s = 0;
    for (const id of own) {
      const row = rows.get(id);
      if (credited(row)) s += unit(row.t3);
    }
    t3sum += s / own.length;
    dates++;
  }
  const fromReference = dates === 0;
  const T3 = fromReference ? (referenceT3 ?? 0) : t3sum / dates;
  // No settled date anywhere in the window: nothing proven yet, nothing to cap against.
  const cap = p.settled.size > 0 ? T3 + TRAP_CREDIT_MARGIN : undefined;

  const counted = p.t12.filter((c) => c.cycleId >= history.firstCycleId);
  let t1 = 0;
  let t2 = 0;
  for (const c of counted) {
    const row = rows.get(c.cycleId);
    if (!credited(row)) continue;
    t1 += 1;
    t2 += cappedT2(row, cap);
  }
  const T1 = counted.length > 0 ? t1 / counted.length : 0;
  const T2 = counted.length > 0 ? t2 / counted.length : 0;
  return {
    perf: T1_WEIGHT * T1 + T2_WEIGHT * T2 + T3_WEIGHT * T3,
    T1,
    T2,
    T3,
    cycles: counted.length,
    settledDates: dates,
    t3FromReference: fromReference,
  };
}

export function windowPerformance(
  spec: WindowSpec,
  reference: MinerHistory,
  miners: ReadonlyMap<string, MinerHistory>,
): { reference: Performance; miners: Map<string, Performance> } {
  const prepared = prepare(spec, reference);
  const ref = evaluate(prepared, reference, undefined);
  const out = new Map<string, Performance>();
  for (const [hotkey, history] of miners) {
    out.set(hotkey, evaluate(prepared, history, ref.settledDates > 0 ? ref.T3 : 0));
  }
  return { reference: ref, miners: out };
}

/** The window's first date of the T1/T2 window and of the τ-extended T3 window. */
export function windowBounds(currentDate: string, tauDays: number, windowDays = PERFORMANCE_WINDOW_DAYS) {
  const now = dateMs(currentDate);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    t12From: iso(now - (windowDays - 1) * DAY_MS),
    t3From: iso(now - (windowDays - 1 + tauDays) * DAY_MS),
    to: currentDate,
  };
}

/** A cycle's score before its labels arrive: 0.2·t1 + 0.3·t2 (0 for a copy). */
export function immediateScore(t1: number, t2: number | null, copy: boolean): number {
  return copy ? 0 : T1_WEIGHT * unit(t1) + T2_WEIGHT * unit(t2);
}
