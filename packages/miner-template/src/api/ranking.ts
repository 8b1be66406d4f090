/**
 * Ranks from ranking scores (docs/api.md): rank 1 = highest score, ties broken by alert_id (ascending,
 * UTF-16 code-unit order, the same in every runtime) so the order is deterministic. A NaN score
 * ranks after every number. The result is in rank order.
 */
import type { AlertRank } from '../schemas/api.js';

export function assignRanks(alertIds: readonly string[], scores: ArrayLike<number>): AlertRank[] {
  const n = alertIds.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const sorted = Array.from(order).sort((a, b) => {
    const sa = scores[a];
    const sb = scores[b];
    const nanA = Number.isNaN(sa);
    const nanB = Number.isNaN(sb);
    if (nanA !== nanB) return nanA ? 1 : -1;
    if (!nanA && sa !== sb) return sb - sa;
    const ia = alertIds[a];
    const ib = alertIds[b];
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  const out = new Array<AlertRank>(n);
  for (let r = 0; r < n; r++) {
    const i = sorted[r];
    out[r] = { alert_id: alertIds[i], rank: r + 1, score: scores[i] };
  }
  return out;
}
