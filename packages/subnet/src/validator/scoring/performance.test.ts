import { describe, expect, it } from 'vitest';
import {
  type CycleTiers,
  type MinerHistory,
  TRAP_CREDIT_MARGIN,
  windowBounds,
  windowPerformance,
} from './performance.js';

const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}`;
/** Cycles 1..n, two per day starting 2026-03-01. */
const cycles = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ cycleId: i + 1, batchDate: day(1 + (i >> 1)) }));

function history(rows: Partial<CycleTiers>[], firstCycleId = 1): MinerHistory {
  return {
    firstCycleId,
    tiers: rows.map((r, i) => ({ cycleId: i + 1, t1: 1, t2: 0.5, t3: null, settled: false, ...r })),
  };
}

describe('windowPerformance', () => {
  it('is 0.2·T1 + 0.3·T2 + 0.5·T3, counting missed, failed and copied cycles as 0', () => {
    const ref = history(Array.from({ length: 4 }, () => ({ t2: 0.5, t3: 0.2, settled: true })));
    const miner = history([
      { t2: 1, t3: 0.8, settled: true },
      { t1: 0, t2: null, t3: null, settled: true }, // failed tier 1
      { t2: 1, t3: 0.8, settled: true, copyOf: 'other' }, // a copy: the whole cycle is 0
      // cycle 4 missed (no row)
    ]);
    const { reference, miners } = windowPerformance(
      { currentDate: day(2), tauDays: 0, cycles: cycles(4) },
      ref,
      new Map([['m', miner]]),
    );
    const m = miners.get('m')!;
    expect(m.T1).toBeCloseTo(1 / 4, 15);
    expect(m.T2).toBeCloseTo(1 / 4, 15);
    // date 1: cycles 1, 2 → (0.8 + 0)/2; date 2: cycles 3, 4 → 0
    expect(m.T3).toBeCloseTo((0.4 + 0) / 2, 15);
    expect(m.perf).toBeCloseTo(0.2 * 0.25 + 0.3 * 0.25 + 0.5 * 0.2, 15);
    expect(reference.perf).toBeCloseTo(0.2 + 0.3 * 0.5 + 0.5 * 0.2, 15);
  });

  it("gives a miner with no settled date the reference's T3, and only counts cycles from its first one", () => {
    const ref = history(Array.from({ length: 6 }, (_, i) => ({ t3: 0.3, settled: i < 2 })));
    const late = {
      firstCycleId: 5,
      tiers: [5, 6].map((cycleId) => ({ cycleId, t1: 1, t2: 0.8, t3: null, settled: false })),
    };
    const { miners } = windowPerformance(
      { currentDate: day(3), tauDays: 0, cycles: cycles(6) },
      ref,
      new Map([['late', late]]),
    );
    const m = miners.get('late')!;
    expect(m.cycles).toBe(2);
    expect(m.T1).toBe(1);
    expect(m.T2).toBeCloseTo(0.8, 15);
    expect(m.t3FromReference).toBe(true);
    expect(m.T3).toBeCloseTo(0.3, 15);
  });

  it('keeps settled dates in view by extending the T3 window back by τ', () => {
    // 40 days, one cycle a day; labels settle after τ = 7 days
    const all = Array.from({ length: 40 }, (_, i) => ({
      cycleId: i + 1,
      batchDate: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    }));
    const current = all[39].batchDate;
    const settledUpTo = 40 - 7;
    const rows = (t3: number) =>
      all.map((c) => ({
        cycleId: c.cycleId,
        t1: 1,
        t2: 0.5,
        t3: c.cycleId <= settledUpTo ? t3 : null,
        settled: c.cycleId <= settledUpTo,
      }));
    const { reference, miners } = windowPerformance(
      { currentDate: current, tauDays: 7, cycles: all },
      { firstCycleId: 1, tiers: rows(0.1) },
      new Map([['m', { firstCycleId: 1, tiers: rows(0.6) }]]),
    );
    // T1/T2 window: the last 30 dates; T3 window: 37 dates back, of which 30 are settled
    expect(miners.get('m')!.cycles).toBe(30);
    expect(miners.get('m')!.settledDates).toBe(30);
    expect(reference.settledDates).toBe(30);
    expect(miners.get('m')!.T3).toBeCloseTo(0.6, 15);
    expect(windowBounds(current, 7)).toEqual({
      t12From: all[10].batchDate,
      t3From: all[3].batchDate,
      to: current,
    });
  });

  it('uses the settled t2 (trap credit confirmed by labels) once a cycle settles', () => {
    const ref = history([{ t3: 0.1, settled: true }]);
    const m = history([{ t2: 1, t2Settled: 0.55, t3: 0, settled: true }]);
    const { miners } = windowPerformance(
      { currentDate: day(1), tauDays: 0, cycles: cycles(1) },
      ref,
      new Map([['m', m]]),
    );
    expect(miners.get('m')!.T2).toBeCloseTo(0.55, 15);
  });

  // The attack: a miner that is right on every trap (trap component 1, full behaviour) and has no
  // skill on real alerts. Before its labels arrive it must not out-earn the reference by more
  // than the margin, and once it has a settled date of its own (T3 = 0) it earns no trap credit.
  it('caps unsettled trap credit at proven skill: T3 (or the reference T3) plus the margin', () => {
    // Four cycles on two dates; date 1 (cycles 1, 2) is settled, date 2 is not.
    const ref = history(
      [1, 2, 3, 4].map((id) => ({ t2: 0.5 * 0.2 + 0.5, trapComponent: 0.2, t3: 0.15, settled: id <= 2 })),
    );
    const spotter = (firstCycleId: number) => ({
      firstCycleId,
      tiers: [1, 2, 3, 4]
        .filter((id) => id >= firstCycleId)
        .map((cycleId) => ({
          cycleId,
          t1: 1,
          t2: 1,
          trapComponent: 1,
          t2Settled: cycleId <= 2 ? 0.5 * TRAP_CREDIT_MARGIN + 0.5 : null,
          t3: cycleId <= 2 ? 0 : null,
          settled: cycleId <= 2,
        })),
    });
    const { reference, miners } = windowPerformance(
      { currentDate: day(2), tauDays: 0, cycles: cycles(4) },
      ref,
      new Map([
        ['veteran', spotter(1)],
        ['newcomer', spotter(3)],
      ]),
    );
    // The newcomer has no settled date: T3 is the reference's, its trap credit at most 0.15 + 0.1.
    const newcomer = miners.get('newcomer')!;
    expect(newcomer.t3FromReference).toBe(true);
    expect(newcomer.T2).toBeCloseTo(0.5 * (0.15 + TRAP_CREDIT_MARGIN) + 0.5, 12);
    expect(newcomer.perf - reference.perf).toBeCloseTo(0.3 * 0.5 * (0.15 + TRAP_CREDIT_MARGIN - 0.2), 12);
    // The veteran has settled at T3 = 0: every cycle's trap credit is the margin at most.
    const veteran = miners.get('veteran')!;
    expect(veteran.T3).toBe(0);
    expect(veteran.T2).toBeCloseTo(0.5 * TRAP_CREDIT_MARGIN + 0.5, 12);
    expect(veteran.perf).toBeLessThan(reference.perf);
  });

  it('does not cap trap credit while nothing has settled, nor below proven skill', () => {
    const unsettled = [1, 2].map(() => ({ t2: 0.9, trapComponent: 0.8, t3: null, settled: false }));
    const { miners } = windowPerformance(
      { currentDate: day(1), tauDays: 7, cycles: cycles(2) },
      history(unsettled),
      new Map([['m', history(unsettled)]]),
    );
    expect(miners.get('m')!.T2).toBeCloseTo(0.9, 15);

    // Proven T3 0.75: a trap component of 0.8 is within the margin and kept whole.
    const proven = history([
      { t2: 0.9, trapComponent: 0.8, t3: 0.75, settled: true, t2Settled: 0.9 },
      { t2: 0.9, trapComponent: 0.8, t3: null, settled: false },
      { t2: 0.9, trapComponent: 0.8, t3: null, settled: false },
    ]);
    const { miners: m2 } = windowPerformance(
      { currentDate: day(2), tauDays: 0, cycles: cycles(3) },
      history([{ t3: 0.1, settled: true }, { t3: null }, { t3: null }]),
      new Map([['m', proven]]),
    );
    expect(m2.get('m')!.T2).toBeCloseTo(0.9, 15);
  });
});
