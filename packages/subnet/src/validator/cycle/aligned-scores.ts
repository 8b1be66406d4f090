/**
 * A stored answer's scores as one vector in a given alert order: the ensemble and the tier-3
 * settlement read answers this way, on the request's real alerts. Pure.
 */

/** Scores of a passing answer aligned with alertIds (NaN where an entry is missing). */
export function alignedScores(answer: unknown, alertIds: readonly string[]): Float64Array {
  const out = new Float64Array(alertIds.length).fill(Number.NaN);
  if (!Array.isArray(answer)) return out;
  const position = new Map(alertIds.map((id, i) => [id, i]));
  for (const entry of answer) {
    const e = entry as { alert_id?: unknown; score?: unknown };
    if (typeof e?.alert_id !== 'string' || typeof e.score !== 'number') continue;
    const i = position.get(e.alert_id);
    if (i !== undefined) out[i] = e.score;
  }
  return out;
}
