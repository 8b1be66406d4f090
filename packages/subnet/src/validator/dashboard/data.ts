/**
 * The dashboard's JSON, read from the store only: `dashboardStatus` is the latest scored cycle
 * (the `aml-validator status` table, reused as is, plus what a table in a terminal leaves out: the
 * stealth audit's tells, the weights outcome, the query's timings and stored sizes), and
 * `dashboardHistory` is the last N cycles as series aligned on the cycle id, ready for charts.
 */
import { STEALTH_TARGET_AUC } from '@aml/miner-template/tiers';
import { REFERENCE_HOTKEY } from '../cycle/tier-step.js';
import { type StatusRow, statusRows } from '../status.js';
import type { CycleRecord, ValidatorStore } from '../store/types.js';

/** The store methods the dashboard uses: reads only, so a dashboard can never change a cycle. */
export type DashboardStore = Pick<
  ValidatorStore,
  'recentCycles' | 'latestCycle' | 'cycleReport' | 'tierResults' | 'answerSummaries'
>;

export interface DashboardRow extends StatusRow {
  copyOf: string | null;
  t1Failure: string | null;
}

interface StoredStanding {
  perf?: number;
  excess?: number;
}

interface StoredWeights {
  status?: string;
  kind?: string;
  mode?: string;
  reason?: string;
  uids?: number[];
  weights?: number[];
}

interface StoredStealth {
  auc?: number;
  traps?: number;
  reals?: number;
  tells?: unknown[];
  ms?: number;
}

const numOrNull = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export async function dashboardStatus(store: DashboardStore) {
  const status = await statusRows(store);
  if (status.cycleId === undefined) return { cycle: null, generatedAt: Date.now() };
  const cycleId = status.cycleId;
  const [cycle] = (await store.recentCycles(50)).filter((c) => c.cycleId === cycleId);
  const report = await store.cycleReport(cycleId);
  const tiers = new Map((await store.tierResults(cycleId)).map((t) => [t.hotkey, t]));
  const answers = await store.answerSummaries(cycleId);
  const stealth = report.stealth as StoredStealth | undefined;
  const weights = (report.weights ?? {}) as StoredWeights;
  const rows: DashboardRow[] = status.rows.map((r) => ({
    ...r,
    copyOf: tiers.get(r.hotkey)?.copyOf ?? null,
    t1Failure: tiers.get(r.hotkey)?.t1Failure ?? null,
  }));
  return {
    generatedAt: Date.now(),
    cycle: {
      cycleId,
      batchId: status.batchId,
      stage: status.stage,
      startedAt: cycle?.startedAt ?? null,
      updatedAt: cycle?.updatedAt ?? null,
    },
    reference: { perf: status.reference ?? null, hotkey: REFERENCE_HOTKEY },
    weights: {
      status: weights.status ?? null,
      kind: weights.kind ?? null,
      mode: weights.mode ?? null,
      reason: weights.reason ?? null,
    },
    canonicalSource: (report.canonicalSource as string | undefined) ?? null,
    traps: report.traps ?? null,
    stealth: stealth
      ? {
          auc: numOrNull(stealth.auc),
          target: STEALTH_TARGET_AUC,
          traps: numOrNull(stealth.traps),
          reals: numOrNull(stealth.reals),
          tells: stealth.tells ?? [],
          ms: numOrNull(stealth.ms),
        }
      : null,
    rows,
    timings: {
      // Only the first and last commit of a cycle are timestamped, so the wall time is the one
      // cycle-level duration the store can give (per-step times are not stored).
      cycleMs: cycle && cycle.updatedAt >= cycle.startedAt ? cycle.updatedAt - cycle.startedAt : null,
      stealthMs: numOrNull(stealth?.ms),
      answers,
      storedAnswerBytes: answers.reduce((sum, a) => sum + a.storedBytes, 0),
    },
  };
}

export type DashboardStatus = Awaited<ReturnType<typeof dashboardStatus>>;

/** A miner's series over the history's cycles; null where it has no row in that cycle. */
export interface MinerSeries {
  hotkey: string;
  uid: number;
  perf: (number | null)[];
  excess: (number | null)[];
  t1: (number | null)[];
  t2: (number | null)[];
  t3: (number | null)[];
  ensembleWeight: (number | null)[];
  chainWeight: (number | null)[];
  copy: boolean[];
}

export interface DashboardHistory {
  cycles: number[];
  startedAt: number[];
  durationMs: (number | null)[];
  slowestAnswerMs: (number | null)[];
  stealthAuc: (number | null)[];
  stealthTarget: number;
  reference: { perf: (number | null)[]; t2: (number | null)[]; t3: (number | null)[] };
  miners: MinerSeries[];
}

export const MAX_HISTORY_CYCLES = 1000;

/** Cycles that reached their tiers: earlier ones have no rows to chart. */
const charted = (c: CycleRecord) => c.stage !== 'started' && c.stage !== 'queried';

export async function dashboardHistory(store: DashboardStore, count: number): Promise<DashboardHistory> {
  const cycles = (await store.recentCycles(count)).filter(charted).reverse();
  const n = cycles.length;
  const empty = () => new Array<number | null>(n).fill(null);
  const out: DashboardHistory = {
    cycles: cycles.map((c) => c.cycleId),
    startedAt: cycles.map((c) => c.startedAt),
    durationMs: cycles.map((c) => (c.stage === 'complete' ? c.updatedAt - c.startedAt : null)),
    slowestAnswerMs: empty(),
    stealthAuc: empty(),
    stealthTarget: STEALTH_TARGET_AUC,
    reference: { perf: empty(), t2: empty(), t3: empty() },
    miners: [],
  };
  const miners = new Map<string, MinerSeries>();
  const seriesOf = (hotkey: string, uid: number) => {
    let s = miners.get(hotkey);
    if (!s) {
      s = {
        hotkey,
        uid,
        perf: empty(),
        excess: empty(),
        t1: empty(),
        t2: empty(),
        t3: empty(),
        ensembleWeight: empty(),
        chainWeight: empty(),
        copy: new Array<boolean>(n).fill(false),
      };
      miners.set(hotkey, s);
    }
    s.uid = uid; // the newest uid wins: a hotkey can move uid after a deregistration
    return s;
  };
  for (const [i, cycle] of cycles.entries()) {
    const report = await store.cycleReport(cycle.cycleId);
    const standing = (report.standing ?? {}) as Record<string, StoredStanding>;
    const ensemble = (report.ensemble ?? {}) as Record<string, number>;
    const weights = (report.weights ?? {}) as StoredWeights;
    const chain = new Map<number, number>();
    if (weights.status === 'included')
      (weights.uids ?? []).forEach((u, k) => {
        chain.set(u, weights.weights?.[k] ?? 0);
      });
    out.stealthAuc[i] = numOrNull((report.stealth as StoredStealth | undefined)?.auc);
    out.reference.perf[i] = numOrNull((report.reference as StoredStanding | undefined)?.perf);
    const answers = await store.answerSummaries(cycle.cycleId);
    out.slowestAnswerMs[i] = answers.length > 0 ? Math.max(...answers.map((a) => a.elapsedMs)) : null;
    for (const t of await store.tierResults(cycle.cycleId)) {
      const settledT2 = t.t2Settled ?? t.t2 ?? null;
      if (t.hotkey === REFERENCE_HOTKEY) {
        out.reference.t2[i] = settledT2;
        out.reference.t3[i] = t.t3 ?? null;
        continue;
      }
      const s = seriesOf(t.hotkey, t.uid);
      s.perf[i] = numOrNull(standing[t.hotkey]?.perf);
      s.excess[i] = numOrNull(standing[t.hotkey]?.excess);
      s.t1[i] = t.t1;
      s.t2[i] = settledT2;
      s.t3[i] = t.t3 ?? null;
      s.ensembleWeight[i] = ensemble[t.hotkey] ?? 0;
      // a cycle whose weights were skipped (rate limit) set none: null, not 0
      s.chainWeight[i] = weights.status === 'included' ? (chain.get(t.uid) ?? 0) : null;
      s.copy[i] = Boolean(t.copyOf);
    }
  }
  out.miners = [...miners.values()].sort((a, b) => a.uid - b.uid || (a.hotkey < b.hotkey ? -1 : 1));
  return out;
}
