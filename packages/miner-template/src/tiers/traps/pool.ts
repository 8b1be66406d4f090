/**
 * The day's trap pool and the per-cycle request (docs/validator.md, "Traps").
 *
 * A batch is scored by many cycles (hourly cycles, a new batch daily). If the traps changed every
 * cycle while the real alerts stayed, diffing two requests would expose them. So each batch gets
 * one pool of conformed traps, and every cycle sends a random subset of the real alerts and of the
 * pool with the same inclusion rate: how often an alert appears says nothing about what it is,
 * and the traps still differ from cycle to cycle. Alert ids are re-assigned once per batch from the
 * pooled ids (real and trap ids mixed), so no id, its number or its position tells a trap either.
 * Feature rows and flows of the traps are inserted where the batch would have put them (sorted
 * tables stay sorted, others get random positions).
 */
import type { Batch } from '../../data/batch.js';
import { Rng } from '../../random.js';
import type { Alert } from '../../schemas/alert.js';
import type { Cluster } from '../../schemas/cluster.js';
import type { MoneyFlow } from '../../schemas/money-flow.js';
import { profileBatch } from './batch-profile.js';
import {
  type ConformedTrap,
  type ConformOptions,
  conformState,
  conformTrap,
  type PoolCluster,
  placeTrapAddresses,
} from './conform.js';
import type { TrapMaterial } from './material.js';
import { dropAddresses } from './withhold.js';

/** Share of the real alerts, and of the pool, each cycle sends. */
export const DEFAULT_INCLUSION = 0.9;
export const MIN_TRAPS_PER_CYCLE = 50;
export const TRAP_SHARE = 0.02;

/** Traps a cycle must carry for a batch of `realAlerts`: max(50, 2 %). */
export function trapsPerCycle(realAlerts: number, minimum = MIN_TRAPS_PER_CYCLE): number {
  return Math.max(minimum, Math.ceil(TRAP_SHARE * realAlerts));
}

/** Pool size that gives traps the same inclusion rate as real alerts. */
export function poolSize(perCycle: number, inclusion = DEFAULT_INCLUSION): number {
  return Math.ceil(perCycle / inclusion);
}

export interface TrapPool {
  seed: number;
  traps: ConformedTrap[];
  /** Clusters the traps lead (copies of their sources' clusters). */
  clusters: PoolCluster[];
  /** Request id of real alert i at [i], of pool trap j at [realCount + j]. */
  aliases: string[];
  /**
   * Alert ids of the batch never sent to miners (whole address groups, see withhold.ts): the
   * pool, its plans and its requests are all of the batch without them.
   */
  withheld: string[];
  /**
   * Alert ids of the real alerts on the addresses synthetic traps stand on (see
   * `ConformedTrap.donorAddress`): never sent, their rows and flows left out of every request.
   */
  lent: string[];
}

export function buildTrapPool(
  batch: Batch,
  materials: readonly { material: TrapMaterial; options?: ConformOptions }[],
  seed: number,
): TrapPool {
  const rng = new Rng(seed, 'trap-pool');
  const profile = profileBatch(batch);
  const state = conformState(
    batch,
    profile,
    materials.map((m) => m.material),
  );
  placeTrapAddresses(
    materials.map((m) => m.material),
    batch,
    profile,
    state,
    rng,
  );
  const traps = materials.map(({ material, options }) =>
    conformTrap(material, batch, profile, state, rng, options),
  );
  traps.forEach((t, j) => {
    for (const ci of t.ownClusters) state.clusters[ci].traps.push(j);
  });
  const aliases = [...batch.alerts.map((a) => a.alert_id), ...traps.map((t) => t.alert.alert_id)];
  rng.fork('aliases').shuffle(aliases);
  const donors = new Set(traps.flatMap((t) => (t.donorAddress === null ? [] : [t.donorAddress])));
  const lent = batch.alerts.filter((a) => donors.has(a.address)).map((a) => a.alert_id);
  return { seed, traps, clusters: state.clusters, aliases, withheld: [], lent };
}

export interface CyclePlan {
  seed: number;
  /** Indexes of the real alerts this cycle sends, ascending. */
  real: number[];
  /** Indexes into the pool of the traps this cycle sends, ascending. */
  traps: number[];
}

function sample(rng: Rng, n: number, k: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  rng.shuffle(idx);
  return idx.slice(0, Math.min(n, k)).sort((a, b) => a - b);
}

export function planCycle(
  batch: Batch,
  pool: TrapPool,
  options: { seed: number; perCycle: number; inclusion?: number },
): CyclePlan {
  const rng = new Rng(options.seed, 'cycle-plan');
  const inclusion = options.inclusion ?? DEFAULT_INCLUSION;
  const lent = new Set(pool.lent);
  const sendable = batch.alerts.flatMap((a, i) => (lent.has(a.alert_id) ? [] : [i]));
  const n = sendable.length;
  return {
    seed: options.seed,
    real: sample(rng, n, Math.max(1, Math.round(inclusion * n)))
      .map((k) => sendable[k])
      .sort((a, b) => a - b),
    traps: sample(rng, pool.traps.length, options.perCycle),
  };
}

export type RequestAlert = { kind: 'real'; index: number } | { kind: 'trap'; index: number };

export interface CycleRequest {
  batch: Batch;
  /** For each request alert (in request order): what it is. */
  origin: RequestAlert[];
  /** Request id → 1 / 0 for the traps. */
  trapTruth: Map<string, 0 | 1>;
  /** Request id → the real alert's own id (real alerts only). */
  realIdOf: Map<string, string>;
}

type SortKey<T> = (t: T) => string | number;

function isSortedBy<T>(items: readonly T[], key: SortKey<T>): boolean {
  for (let i = 1; i < items.length; i++) if (key(items[i - 1]) > key(items[i])) return false;
  return items.length > 1;
}

/**
 * Inserts `extra` into `base`: at sorted positions when `base` is sorted by one of `keys` (an
 * item out of order would give a trap away), else each item right after the entry its anchor
 * names (random when it names none).
 */
function insertLike<T>(
  base: readonly T[],
  extra: readonly { item: T; anchor?: number }[],
  keys: readonly SortKey<T>[],
  rng: Rng,
  time?: (t: T) => number,
): T[] {
  const sortedBy = keys.find((key) => isSortedBy(base, key));
  if (sortedBy)
    return [...base, ...extra.map((e) => e.item)].sort((a, b) =>
      sortedBy(a) < sortedBy(b) ? -1 : sortedBy(a) > sortedBy(b) ? 1 : 0,
    );
  // Only a table that is (nearly) in time order is kept in it; a shuffled one stays shuffled.
  let ordered = 0;
  for (let i = 1; time && i < base.length; i++) if (!(time(base[i - 1]) > time(base[i]))) ordered++;
  if (time && ordered < 0.9 * (base.length - 1)) time = undefined;
  const after = new Map<number, T[]>();
  for (const { item, anchor } of extra) {
    let at = anchor !== undefined && anchor < base.length ? anchor : rng.int(-1, base.length - 1);
    // In a table ordered by time in runs, the nearest place where the item keeps the run's order:
    // an item out of order next to its neighbours would give it away.
    if (time) at = nearestFit(base, time, time(item), at);
    if (!after.has(at)) after.set(at, []);
    after.get(at)!.push(item);
  }
  if (time) for (const items of after.values()) items.sort((a, b) => time(a) - time(b));
  const out: T[] = [...(after.get(-1) ?? [])];
  base.forEach((b, i) => {
    out.push(b);
    const inserted = after.get(i);
    if (inserted) out.push(...inserted);
  });
  return out;
}

/** The position nearest to `at` after which an item at time `t` sits between its neighbours. */
function nearestFit<T>(base: readonly T[], time: (x: T) => number, t: number, at: number): number {
  const fits = (i: number) =>
    (i < 0 || !(time(base[i]) > t)) && (i + 1 >= base.length || !(t > time(base[i + 1])));
  for (let d = 0; d < base.length; d++) {
    if (at - d >= -1 && fits(at - d)) return at - d;
    if (at + d < base.length && fits(at + d)) return at + d;
  }
  return at;
}

function rewriteClusters(
  batch: Batch,
  pool: TrapPool,
  plan: CyclePlan,
  aliasOfReal: Map<string, string>,
): Cluster[] {
  const joins = new Map<number, ConformedTrap[]>();
  const trapAlias = new Map<ConformedTrap, string>();
  for (const j of plan.traps) {
    const trap = pool.traps[j];
    trapAlias.set(trap, pool.aliases[batch.alerts.length + j]);
    if (trap.joinCluster === null) continue;
    if (!joins.has(trap.joinCluster)) joins.set(trap.joinCluster, []);
    joins.get(trap.joinCluster)!.push(trap);
  }
  const out: Cluster[] = [];
  batch.clusters.forEach((c, ci) => {
    const related = (c.related_alert_ids ?? [])
      .map((id) => aliasOfReal.get(id))
      .filter((id): id is string => !!id);
    const joined = joins.get(ci) ?? [];
    for (const t of joined) related.push(trapAlias.get(t)!);
    const primary = c.primary_alert_id ? aliasOfReal.get(c.primary_alert_id) : undefined;
    if (related.length === 0 && !primary) return;
    const next: Cluster = {
      ...c,
      related_alert_ids: related,
      primary_alert_id: primary ?? (c.primary_alert_id ? related[0] : undefined),
    };
    if (joined.length > 0) {
      next.addresses_involved = [...(c.addresses_involved ?? []), ...joined.map((t) => t.alert.address)];
      if (Number.isFinite(c.total_alerts)) next.total_alerts = c.total_alerts + joined.length;
      if (Number.isFinite(c.total_volume_usd)) {
        const add = joined.reduce(
          (s, t) => s + (Number.isFinite(t.alert.volume_usd) ? t.alert.volume_usd : 0),
          0,
        );
        const decimals = String(c.total_volume_usd).split('.')[1]?.length ?? 0;
        next.total_volume_usd = Math.round((c.total_volume_usd + add) * 10 ** decimals) / 10 ** decimals;
      }
    }
    out.push(next);
  });
  return out;
}

const SEVERITY_ORDER = ['low', 'medium', 'high', 'critical'];
const decimalsIn = (v: number) => (Number.isFinite(v) ? (String(v).split('.')[1]?.length ?? 0) : 0);

/** The pool's own clusters, written with the request's aliases (members not sent are left out). */
function trapClusters(
  batch: Batch,
  pool: TrapPool,
  plan: CyclePlan,
  aliasOfReal: Map<string, string>,
): Cluster[] {
  const n = batch.alerts.length;
  const sentTraps = new Set(plan.traps);
  const realById = new Map(batch.alerts.map((a) => [a.alert_id, a]));
  const out: Cluster[] = [];
  for (const pc of pool.clusters) {
    const members: { alias: string; alert: Alert }[] = [];
    for (const j of pc.traps)
      if (sentTraps.has(j)) members.push({ alias: pool.aliases[n + j], alert: pool.traps[j].alert });
    for (const id of pc.reals) {
      const alias = aliasOfReal.get(id);
      if (alias) members.push({ alias, alert: realById.get(id)! });
    }
    if (members.length === 0) continue;
    const t = pc.template;
    const volumes = members.map((m) => m.alert.volume_usd).filter((v) => Number.isFinite(v));
    const confidences = members.map((m) => m.alert.alert_confidence_score).filter((v) => Number.isFinite(v));
    const round = (v: number, like: number) =>
      Math.round(v * 10 ** decimalsIn(like)) / 10 ** decimalsIn(like);
    const shift = (v: number) => (Number.isFinite(v) ? v + pc.dayShift * 86_400_000 : v);
    out.push({
      ...t,
      cluster_id: pc.clusterId,
      primary_address: t.primary_address === undefined ? undefined : pc.primaryAddress,
      pattern_id: t.pattern_id === undefined ? undefined : (pc.patternId ?? t.pattern_id),
      primary_alert_id: t.primary_alert_id === undefined ? undefined : members[0].alias,
      related_alert_ids: members.map((m) => m.alias),
      addresses_involved: pc.sameAddress
        ? [pc.primaryAddress]
        : [...new Set(members.map((m) => m.alert.address))],
      total_alerts: Number.isFinite(t.total_alerts) ? members.length : t.total_alerts,
      total_volume_usd:
        Number.isFinite(t.total_volume_usd) && volumes.length > 0
          ? round(
              volumes.reduce((s, v) => s + v, 0),
              t.total_volume_usd,
            )
          : t.total_volume_usd,
      severity_max:
        t.severity_max === undefined
          ? undefined
          : (members
              .map((m) => m.alert.severity)
              .sort(
                (a, b) => SEVERITY_ORDER.indexOf(b) - SEVERITY_ORDER.indexOf(a),
              )[0] as Cluster['severity_max']),
      confidence_avg:
        Number.isFinite(t.confidence_avg) && confidences.length > 0
          ? round(confidences.reduce((s, v) => s + v, 0) / confidences.length, t.confidence_avg)
          : t.confidence_avg,
      earliest_alert_timestamp: shift(t.earliest_alert_timestamp),
      latest_alert_timestamp: shift(t.latest_alert_timestamp),
    });
  }
  return out;
}

/** The request a cycle sends: a subset of real alerts and pool traps, under the batch's aliases. */
export function assembleRequest(batch: Batch, pool: TrapPool, plan: CyclePlan): CycleRequest {
  const rng = new Rng(plan.seed, 'assemble');
  const n = batch.alerts.length;
  const aliasOfReal = new Map<string, string>();
  const alerts: Alert[] = [];
  const origin: RequestAlert[] = [];
  const realIdOf = new Map<string, string>();
  for (const i of plan.real) {
    const alias = pool.aliases[i];
    aliasOfReal.set(batch.alerts[i].alert_id, alias);
    realIdOf.set(alias, batch.alerts[i].alert_id);
    alerts.push({ ...batch.alerts[i], alert_id: alias });
    origin.push({ kind: 'real', index: i });
  }
  const trapTruth = new Map<string, 0 | 1>();
  for (const j of plan.traps) {
    const alias = pool.aliases[n + j];
    alerts.push({ ...pool.traps[j].alert, alert_id: alias });
    origin.push({ kind: 'trap', index: j });
    trapTruth.set(alias, pool.traps[j].truth);
  }
  const order = alerts.map((_, k) => k);
  rng.shuffle(order);

  // Every pool trap's row and flows stay in the tables whether or not the cycle sends it, as a real
  // alert's do when it is left out.
  const rows = pool.traps.filter((t) => t.row !== null);
  const address = batch.features.address;
  const positions = insertLike(
    address.map((a, i) => ({ a, i })),
    rows.map((t, k) => ({ item: { a: t.alert.address, i: address.length + k }, anchor: t.rowAnchor })),
    [(x) => x.a],
    rng.fork('rows'),
  );
  const columns = new Map<string, Float64Array>();
  for (const [name, values] of batch.features.columns) {
    columns.set(
      name,
      Float64Array.from(positions, ({ i }) =>
        i < values.length ? values[i] : (rows[i - values.length].row![name] ?? Number.NaN),
      ),
    );
  }
  const flowKey = (f: MoneyFlow) => `${f.from_address}\u0000${f.to_address}`;
  const money_flows = insertLike(
    batch.money_flows,
    pool.traps.flatMap((t) => t.flows.map((item, k) => ({ item, anchor: t.flowAnchors[k] }))),
    [flowKey, (f) => f.first_seen_timestamp, (f) => f.last_seen_timestamp, (f) => f.amount_usd_sum],
    rng.fork('flows'),
    (f) => f.first_seen_timestamp,
  );

  // The addresses synthetic traps stand on leave the tables (their alerts are never planned).
  const lent = new Set(pool.lent);
  const lentAddresses = new Set(batch.alerts.filter((a) => lent.has(a.alert_id)).map((a) => a.address));
  return {
    batch: dropAddresses(
      {
        key: batch.key,
        alerts: order.map((k) => alerts[k]),
        features: { address: positions.map((p) => p.a), columns },
        clusters: insertLike(
          rewriteClusters(batch, pool, plan, aliasOfReal),
          trapClusters(batch, pool, plan, aliasOfReal).map((item) => ({ item })),
          [(c) => c.cluster_id],
          rng.fork('clusters'),
        ),
        money_flows,
      },
      lentAddresses,
    ),
    origin: order.map((k) => origin[k]),
    trapTruth,
    realIdOf,
  };
}
