/**
 * The standing of every miner and of the reference at a batch date: their performance over the
 * window (scoring/performance.ts) read from the store, and each miner's excess over the reference.
 * The ensemble, the chain weights, `status` and the localnet report all read it from here, so
 * they can never disagree about who beat the reference.
 */
import {
  type MinerHistory,
  type Performance,
  windowBounds,
  windowPerformance,
} from '../scoring/performance.js';
import type { ScoreWindow, ValidatorStore } from '../store/types.js';
import { REFERENCE_HOTKEY } from './tier-step.js';

export interface Standing {
  batchDate: string;
  reference: Performance;
  miners: Map<string, Performance>;
}

function histories(window: ScoreWindow): Map<string, MinerHistory> {
  const out = new Map<string, MinerHistory & { tiers: MinerHistory['tiers'][number][] }>();
  for (const row of window.rows) {
    let h = out.get(row.hotkey);
    if (!h) {
      h = { firstCycleId: window.firstCycle.get(row.hotkey) ?? row.cycleId, tiers: [] };
      out.set(row.hotkey, h);
    }
    h.tiers.push(row);
  }
  return out;
}

export async function standingAt(
  store: ValidatorStore,
  network: string,
  batchDate: string,
  tauDays: number,
): Promise<Standing> {
  const bounds = windowBounds(batchDate, tauDays);
  const window = await store.scoreWindow(network, bounds.t3From, bounds.to);
  const all = histories(window);
  const reference = all.get(REFERENCE_HOTKEY) ?? { firstCycleId: 0, tiers: [] };
  all.delete(REFERENCE_HOTKEY);
  const perf = windowPerformance({ currentDate: batchDate, tauDays, cycles: window.cycles }, reference, all);
  return { batchDate, reference: perf.reference, miners: perf.miners };
}

/** perf − perf_ref of a miner (negative: below the reference; absent miners have perf 0). */
export function excessOf(standing: Standing, hotkey: string): number {
  return (standing.miners.get(hotkey)?.perf ?? 0) - standing.reference.perf;
}

/** The figures a report shows for one miner. */
export function standingSummary(p: Performance | undefined, reference: Performance) {
  const perf = p?.perf ?? 0;
  return {
    perf: round(perf),
    excess: round(perf - reference.perf),
    T1: round(p?.T1 ?? 0),
    T2: round(p?.T2 ?? 0),
    T3: round(p?.T3 ?? 0),
    t3FromReference: p?.t3FromReference ?? true,
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
