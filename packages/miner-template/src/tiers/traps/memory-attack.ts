/**
 * The memory attack on traps (docs/validator.md, "Withheld alerts"): a miner keeps every batch it
 * was sent and, for each alert of a new request, looks for the old alert row nearest to it in rank
 * space (each column's mid-rank quantile within its own batch, mean absolute difference over the
 * columns both rows have). A bank trap is conformed so that its ranks stay its source's, so if the
 * source was ever sent, the nearest old row is unusually near. Scores are "how near", so a higher
 * score means more trap-like; the AUC of traps against real alerts says what the attack finds.
 * Searched within the request itself it is the twin attack: a synthetic trap made from a real
 * alert's row sits next to that row.
 */
import type { Batch } from '../../data/batch.js';
import { auc } from '../../gbdt/metric/auc.js';
import { quantileOf } from './batch-profile.js';

/** Per column, each alert row's quantile in its own batch (NaN where missing). */
function alertRowRanks(
  batch: Batch,
  columns: readonly string[],
): { rows: Map<string, number>; alertRows: number[]; ranks: Float64Array[] } {
  const rowOf = new Map(batch.features.address.map((a, i) => [a, i]));
  const rows = new Map<string, number>();
  for (const a of batch.alerts) {
    const r = rowOf.get(a.address);
    if (r !== undefined) rows.set(a.address, r);
  }
  const alertRows = [...new Set(rows.values())];
  const ranks = columns.map((name) => {
    const col = batch.features.columns.get(name);
    const out = new Float64Array(batch.features.address.length).fill(Number.NaN);
    if (!col) return out;
    const sorted = Float64Array.from(alertRows.map((r) => col[r]).filter((v) => !Number.isNaN(v))).sort();
    for (const r of alertRows) if (!Number.isNaN(col[r])) out[r] = quantileOf(sorted, col[r]);
    return out;
  });
  return { rows, alertRows, ranks };
}

/** Mean |Δ rank| over the columns both rows have; Infinity when they share none. */
function rankDistance(a: readonly Float64Array[], i: number, b: readonly Float64Array[], j: number): number {
  let sum = 0;
  let n = 0;
  for (let c = 0; c < a.length; c++) {
    const x = a[c][i];
    const y = b[c][j];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    sum += Math.abs(x - y);
    n++;
  }
  return n === 0 ? Number.POSITIVE_INFINITY : sum / n;
}

/** Rank distance from row `i` of `a` to the nearest of `candidates` in `b`, leaving out `skip`. */
function nearestDistance(
  a: readonly Float64Array[],
  i: number,
  b: readonly Float64Array[],
  candidates: readonly number[],
  skip = -1,
): number {
  let best = Number.POSITIVE_INFINITY;
  for (const j of candidates) if (j !== skip) best = Math.min(best, rankDistance(a, i, b, j));
  return best;
}

/**
 * For each alert of `request`, minus its rank distance to the nearest alert row of `history` (a
 * history batch that is `request` itself is searched for the nearest *other* row: the twin attack).
 */
export function memoryAttackScores(request: Batch, history: readonly Batch[]): Float64Array {
  const columns = [...request.features.columns.keys()];
  const now = alertRowRanks(request, columns);
  const old = history.map((b) => ({
    self: b === request,
    ...(b === request ? now : alertRowRanks(b, columns)),
  }));
  return Float64Array.from(request.alerts, (alert) => {
    const i = now.rows.get(alert.address);
    if (i === undefined) return Number.NEGATIVE_INFINITY;
    let best = Number.POSITIVE_INFINITY;
    for (const h of old)
      best = Math.min(best, nearestDistance(now.ranks, i, h.ranks, h.alertRows, h.self ? i : -1));
    return -best;
  });
}

/**
 * AUC of the memory attack: traps (by request alert id) against the request's real alerts. With
 * `[request]` as the history it is the twin attack on traps made to stand on a real alert.
 */
export function memoryAttackAuc(
  request: Batch,
  traps: ReadonlySet<string>,
  history: readonly Batch[],
): number {
  const scores = memoryAttackScores(request, history);
  return auc(
    scores,
    Float64Array.from(request.alerts, (a) => (traps.has(a.alert_id) ? 1 : 0)),
  );
}

/**
 * For the alerts at `alertIndexes` of `batch`, the rank distance to the nearest *other* alert row
 * of the batch (NaN for an alert without a row): the twin attack's feature, for the stealth audit.
 * Columns are taken in their order up to a budget of distance terms, so a large batch costs seconds,
 * not minutes.
 */
export function nearestOtherRowDistances(
  batch: Batch,
  alertIndexes: readonly number[],
  budget = 3e8,
): Float64Array {
  const nearestOther = nearestOtherRowFinder(batch, alertIndexes.length, budget);
  return Float64Array.from(alertIndexes, nearestOther);
}

/**
 * `nearestOtherRowDistances` one alert at a time, the batch's ranks computed once: for callers
 * that ask about alerts as they go (about `queries` of them, which sets the column budget).
 */
export function nearestOtherRowFinder(
  batch: Batch,
  queries: number,
  budget = 3e8,
): (alertIndex: number) => number {
  const all = [...batch.features.columns.keys()];
  const { rows, alertRows, ranks } = alertRowRanks(batch, all);
  const perColumn = Math.max(1, queries * alertRows.length);
  const kept = Math.max(1, Math.min(all.length, Math.floor(budget / perColumn)));
  const used = ranks.slice(0, kept);
  return (k) => {
    const i = rows.get(batch.alerts[k].address);
    if (i === undefined) return Number.NaN;
    const best = nearestDistance(used, i, used, alertRows, i);
    return Number.isFinite(best) ? best : Number.NaN;
  };
}
