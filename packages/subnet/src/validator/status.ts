/**
 * `aml-validator status` and the run-once table: one row per miner of the latest cycle with its
 * tiers, its performance over the window, its excess over the reference, the ensemble and chain
 * weight it got and why (tier-1 failure, copy group, below the reference), and the reference's
 * own row first, since it is what every miner must beat.
 */
import { REFERENCE_HOTKEY } from './cycle/tier-step.js';
import type { ValidatorStore } from './store/types.js';

export interface StatusRow {
  uid: number;
  hotkey: string;
  t1: string;
  t2: string;
  t3: string;
  performance: number | null;
  excess: number | null;
  ensembleWeight: number | null;
  chainWeight: number | null;
  note: string;
}

interface StoredStanding {
  perf: number;
  excess: number;
}

export interface StatusReport {
  cycleId?: number;
  batchId?: string;
  stage?: string;
  reference?: number;
  weightsMode?: string;
  stealthAuc?: number;
  rows: StatusRow[];
}

const fixed = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(3));

function noteOf(
  t: { t1: number; t1Failure: string | null; copyOf?: string | null },
  excess: number | null,
  weighted: boolean,
) {
  if (t.t1 !== 1) return `tier-1 failure: ${t.t1Failure ?? 'no answer'}`;
  if (t.copyOf) return `copy of ${t.copyOf}: earns 0 this cycle`;
  if (excess !== null && excess <= 0) return 'at or below the reference: no weight';
  return weighted ? 'beats the reference' : '';
}

export async function statusRows(
  store: Pick<ValidatorStore, 'recentCycles' | 'latestCycle' | 'cycleReport' | 'tierResults'>,
): Promise<StatusReport> {
  const latest =
    (await store.recentCycles(10)).find((c) => c.stage !== 'started' && c.stage !== 'queried') ??
    (await store.latestCycle());
  if (!latest) return { rows: [] };
  const report = await store.cycleReport(latest.cycleId);
  const standing = (report.standing ?? {}) as Record<string, StoredStanding>;
  const ensemble = (report.ensemble ?? {}) as Record<string, number>;
  const weights = report.weights as
    | { status?: string; uids?: number[]; weights?: number[]; mode?: string }
    | undefined;
  const chain = new Map<number, number>();
  if (weights?.status === 'included')
    weights.uids!.forEach((u, i) => {
      chain.set(u, weights.weights![i]);
    });
  const reference = report.reference as StoredStanding | undefined;
  const tiers = await store.tierResults(latest.cycleId);
  const rows: StatusRow[] = [];
  for (const t of [...tiers].sort(
    (a, b) => Number(b.hotkey === REFERENCE_HOTKEY) - Number(a.hotkey === REFERENCE_HOTKEY) || a.uid - b.uid,
  )) {
    const isRef = t.hotkey === REFERENCE_HOTKEY;
    const s = isRef ? reference : standing[t.hotkey];
    rows.push({
      uid: t.uid,
      hotkey: t.hotkey,
      t1: t.t1 === 1 ? 'pass' : 'fail',
      t2: fixed(t.t2),
      t3: fixed(t.t3),
      performance: s?.perf ?? null,
      excess: isRef ? null : (s?.excess ?? null),
      ensembleWeight: ensemble[t.hotkey] ?? (isRef ? null : 0),
      chainWeight: isRef ? null : (chain.get(t.uid) ?? 0),
      note: isRef
        ? 'the reference (alert_confidence_score)'
        : noteOf(t, s?.excess ?? null, (ensemble[t.hotkey] ?? 0) > 0 || chain.has(t.uid)),
    });
  }
  const stealth = report.stealth as { auc?: number } | undefined;
  return {
    cycleId: latest.cycleId,
    batchId: latest.batchId,
    stage: latest.stage,
    reference: reference?.perf,
    weightsMode: weights?.mode,
    stealthAuc: typeof stealth?.auc === 'number' ? stealth.auc : undefined,
    rows,
  };
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

export function formatStatus(rows: readonly StatusRow[]): string {
  return formatTable(
    ['uid', 'hotkey', 'tier1', 'tier2', 'tier3', 'perf', 'excess', 'ensemble_w', 'chain_w', 'why'],
    rows.map((r) => [
      String(r.uid),
      r.hotkey.length > 16 ? `${r.hotkey.slice(0, 8)}…${r.hotkey.slice(-6)}` : r.hotkey,
      r.t1,
      r.t2,
      r.t3,
      fixed(r.performance),
      r.excess === null ? '-' : `${r.excess >= 0 ? '+' : ''}${r.excess.toFixed(3)}`,
      fixed(r.ensembleWeight),
      fixed(r.chainWeight),
      r.note.slice(0, 70),
    ]),
  );
}

/** The lines above the table: the reference's performance, the weights mode and the stealth audit. */
export function formatStatusHeader(status: StatusReport): string {
  const parts = [`cycle ${status.cycleId} (${status.stage}) on ${status.batchId}`];
  if (status.reference !== undefined) parts.push(`reference perf ${status.reference.toFixed(3)}`);
  if (status.weightsMode === 'fallback')
    parts.push('WARNING: no miner beats the reference; chain weights fell back to perf^alpha');
  if (typeof status.stealthAuc === 'number')
    parts.push(`trap stealth AUC ${status.stealthAuc.toFixed(3)} (target <= 0.6)`);
  return parts.join('\n');
}
