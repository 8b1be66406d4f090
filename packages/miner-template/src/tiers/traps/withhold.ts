/**
 * Withheld alerts (docs/validator.md, "Traps"): a few whole address groups of each batch are never
 * sent to miners, so that once their labels settle they can become bank traps nobody has seen.
 *
 * Why: miners see every batch and can keep them. A bank trap conformed from an alert they were
 * sent keeps its feature ranks, so the nearest old row in rank space finds its source (AUC ≈ 0.99
 * in `withhold.memory.test.ts`); the same attack on traps made from withheld alerts is at the
 * null's level. Withholding removes the alert, its address's feature row, the flows touching that
 * address and its place in clusters: the row and flows would otherwise sit in the miner's memory
 * as a non-alert row, ready to be matched.
 */
import type { Batch } from '../../data/batch.js';
import type { Rng } from '../../random.js';

/** At most this share of a batch's alerts is withheld. */
export const MAX_WITHHELD_SHARE = 0.05;
/** Withheld beyond one pool, for alerts whose labels never arrive. */
export const WITHHELD_HEADROOM = 1.25;

/** How many alerts to withhold: one pool's worth with headroom, at most 5 % of the batch. */
export function withheldCount(alerts: number, poolSize: number, maxShare = MAX_WITHHELD_SHARE): number {
  return Math.min(Math.ceil(poolSize * WITHHELD_HEADROOM), Math.floor(maxShare * alerts));
}

/**
 * Alert ids of whole address groups chosen at random, at most `count` alerts: a group cut in two
 * would leave its address's row in what miners see, for the withheld part to be matched against.
 * Groups are taken in a random order until the next one does not fit; going on to look for
 * smaller ones that still fit would fill the tail with single alerts, and busy addresses would be
 * under-represented among the bank traps made from them.
 */
export function chooseWithheld(batch: Batch, count: number, rng: Rng): string[] {
  const groups = new Map<string, string[]>();
  for (const a of batch.alerts) {
    const group = groups.get(a.address);
    if (group) group.push(a.alert_id);
    else groups.set(a.address, [a.alert_id]);
  }
  const list = [...groups.values()];
  rng.shuffle(list);
  const out: string[] = [];
  for (const group of list) {
    if (out.length + group.length > count) break;
    out.push(...group);
  }
  return out;
}

/**
 * The batch as miners receive it: without the withheld alerts, their addresses' feature rows, the
 * flows touching those addresses, and their places in clusters (a cluster they lead goes with them).
 */
export function withholdAlerts(batch: Batch, withheldIds: readonly string[]): Batch {
  if (withheldIds.length === 0) return batch;
  const ids = new Set(withheldIds);
  const alerts = batch.alerts.filter((a) => !ids.has(a.alert_id));
  const stillAlerting = new Set(alerts.map((a) => a.address));
  const gone = new Set(
    batch.alerts.filter((a) => ids.has(a.alert_id) && !stillAlerting.has(a.address)).map((a) => a.address),
  );
  const rest = dropAddresses({ ...batch, alerts }, gone);
  const clusters = rest.clusters
    .filter((c) => c.primary_alert_id === undefined || !ids.has(c.primary_alert_id))
    .map((c) => {
      const related = c.related_alert_ids.filter((id) => !ids.has(id));
      const removed = c.related_alert_ids.length - related.length;
      // NaN (missing) stays NaN.
      return removed === 0
        ? c
        : { ...c, related_alert_ids: related, total_alerts: Math.max(0, c.total_alerts - removed) };
    });
  return { ...rest, clusters };
}

/**
 * The batch without any trace of `gone` addresses: their alerts, feature rows, the flows touching
 * them and their places among clusters' addresses.
 */
export function dropAddresses(batch: Batch, gone: ReadonlySet<string>): Batch {
  if (gone.size === 0) return batch;
  const keep = batch.features.address.flatMap((address, i) => (gone.has(address) ? [] : [i]));
  const columns = new Map<string, Float64Array>();
  for (const [name, values] of batch.features.columns) {
    columns.set(
      name,
      Float64Array.from(keep, (i) => values[i]),
    );
  }
  return {
    key: batch.key,
    alerts: batch.alerts.filter((a) => !gone.has(a.address)),
    features: { address: keep.map((i) => batch.features.address[i]), columns },
    clusters: batch.clusters.map((c) =>
      c.addresses_involved.some((a) => gone.has(a))
        ? { ...c, addresses_involved: c.addresses_involved.filter((a) => !gone.has(a)) }
        : c,
    ),
    money_flows: batch.money_flows.filter((f) => !gone.has(f.from_address) && !gone.has(f.to_address)),
  };
}
