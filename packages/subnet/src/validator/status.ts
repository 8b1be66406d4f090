/** `aml-validator status`: one row per miner of the latest cycle, as a plain-text table. */
import { minerPerformance } from './cycle/ensemble-step.js';
import type { ValidatorStore } from './store/types.js';

export interface StatusRow {
  uid: number;
  hotkey: string;
  t1: string;
  t2: string;
  t3: string;
  immediate: number;
  performance: number;
  failure: string;
}

export async function statusRows(
  store: ValidatorStore,
): Promise<{ cycleId?: number; batchId?: string; stage?: string; rows: StatusRow[] }> {
  const latest = await store.latestCycle();
  if (!latest) return { rows: [] };
  const tiers = await store.tierResults(latest.cycleId);
  const rows: StatusRow[] = [];
  for (const t of tiers) {
    rows.push({
      uid: t.uid,
      hotkey: t.hotkey,
      t1: t.t1 === 1 ? 'pass' : 'fail',
      t2: t.t2 === null ? '-' : t.t2.toFixed(3),
      t3: t.t3 === null || t.t3 === undefined ? '-' : t.t3.toFixed(3),
      immediate: t.immediate,
      performance: await minerPerformance(store, t.hotkey),
      failure: t.t1Failure ?? '',
    });
  }
  return { cycleId: latest.cycleId, batchId: latest.batchId, stage: latest.stage, rows };
}

export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatStatus(rows: readonly StatusRow[], weights?: ReadonlyMap<string, number>): string {
  return formatTable(
    ['uid', 'hotkey', 'tier1', 'tier2', 'tier3', 'immediate', 'performance', 'ensemble_w', 'note'],
    rows.map((r) => [
      String(r.uid),
      r.hotkey.length > 16 ? `${r.hotkey.slice(0, 8)}…${r.hotkey.slice(-6)}` : r.hotkey,
      r.t1,
      r.t2,
      r.t3,
      r.immediate.toFixed(3),
      r.performance.toFixed(3),
      weights?.has(r.hotkey) ? weights.get(r.hotkey)!.toFixed(3) : '-',
      r.failure.slice(0, 60),
    ]),
  );
}
