/**
 * The relational tables derived from the same ledger as the alerts: money flows (every directed
 * pair touching an alerted wallet, aggregated), alert links (same wallet, direct transfer, or a
 * shared small counterparty) that give pattern ids and clusters, and clusters whose totals are
 * computed from their member alerts, so a consumer can cross-check every table against the others.
 */
import type { Cluster } from '../schemas/cluster.js';
import type { MoneyFlow } from '../schemas/money-flow.js';
import type { Severity } from '../schemas/primitives.js';
import type { BuiltAlert } from './alerts.js';
import { SERVICE_ROLES } from './detectors.js';
import { roundTo, roundUsd } from './formats.js';
import { degreeOf, type Ledger } from './ledger.js';
import { DAY_MS, type World } from './world.js';

/** A shared counterparty links two alerts only when it is small: big ones link everybody. */
const SHARED_COUNTERPARTY_MAX_DEGREE = 12;

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]];
      x = this.parent[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

export interface AlertLinks {
  /** Component root per item (an item index). */
  root: (item: number) => number;
  /** Counterparties that joined each component (by root). */
  via: Map<number, Set<number>>;
  direct: Set<number>;
  shared: Set<number>;
}

/** An edge links alerts only when it carries a real share of the alerted wallet's value. */
const STRONG_EDGE_SHARE = 0.2;

/**
 * Links items (alerts) through their actors: the same actor, a strong direct transfer, or a strong
 * edge to the same small counterparty. `groupOf` keeps links inside one group (e.g. one rule).
 */
export function linkAlerts(
  world: World,
  ledger: Ledger,
  actors: number[],
  groupOf: (item: number) => string,
): AlertLinks {
  const uf = new UnionFind(actors.length);
  const n = ledger.actorCount;
  const groupIndex = new Map<string, number>();
  const groups = actors.map((_, i) => {
    const name = groupOf(i);
    let g = groupIndex.get(name);
    if (g === undefined) {
      g = groupIndex.size;
      groupIndex.set(name, g);
    }
    return g;
  });
  // Keys group * N + actor: one number instead of a string per neighbour lookup.
  const byActorGroup = new Map<number, number>();
  const bridges = new Map<number, number>();
  const direct = new Set<number>();
  const shared = new Set<number>();
  const viaPairs: [number, number][] = [];
  const volume = (a: number) => {
    let v = 0;
    for (let e = ledger.nbOffsets[a]; e < ledger.nbOffsets[a + 1]; e++) v += ledger.nbUsd[e];
    return v;
  };
  actors.forEach((a, i) => {
    const key = groups[i] * n + a;
    const first = byActorGroup.get(key);
    if (first === undefined) byActorGroup.set(key, i);
    else uf.union(first, i);
  });
  actors.forEach((a, i) => {
    const base = groups[i] * n;
    const own = volume(a);
    for (let e = ledger.nbOffsets[a]; e < ledger.nbOffsets[a + 1]; e++) {
      if (ledger.nbUsd[e] < STRONG_EDGE_SHARE * own) continue;
      const other = ledger.nbItems[e];
      const peer = byActorGroup.get(base + other);
      if (peer !== undefined) {
        if (ledger.nbUsd[e] < STRONG_EDGE_SHARE * volume(other)) continue;
        uf.union(i, peer);
        direct.add(i);
        direct.add(peer);
        continue;
      }
      if (
        SERVICE_ROLES.has(world.actors.role[other]) ||
        degreeOf(ledger.nbOffsets, other) > SHARED_COUNTERPARTY_MAX_DEGREE
      )
        continue;
      const seen = bridges.get(base + other);
      if (seen === undefined) bridges.set(base + other, i);
      else {
        uf.union(i, seen);
        shared.add(i);
        shared.add(seen);
        viaPairs.push([i, other]);
      }
    }
  });
  const via = new Map<number, Set<number>>();
  for (const [item, other] of viaPairs) {
    const root = uf.find(item);
    const set = via.get(root) ?? new Set<number>();
    set.add(other);
    via.set(root, set);
  }
  return { root: (item) => uf.find(item), via, direct, shared };
}

interface FlowAcc {
  from: number;
  to: number;
  count: number;
  usd: number;
  first: number;
  last: number;
  days: Set<number>;
  assetUsd: Map<number, number>;
}

/** Every directed pair with an alerted wallet on either side, aggregated over the window. */
export function buildMoneyFlows(
  world: World,
  ledger: Ledger,
  alerted: Set<number>,
  addressOf: (a: number) => string,
): MoneyFlow[] {
  const n = ledger.actorCount;
  const pairs = new Map<number, FlowAcc>();
  for (const a of [...alerted].sort((x, y) => x - y)) {
    for (let k = ledger.txOffsets[a]; k < ledger.txOffsets[a + 1]; k++) {
      const t = ledger.txItems[k];
      const other = ledger.from[t] === a ? ledger.to[t] : ledger.from[t];
      // A transfer between two alerted wallets was already counted from the smaller id.
      if (other < a && alerted.has(other)) continue;
      const key = ledger.from[t] * n + ledger.to[t];
      let acc = pairs.get(key);
      if (acc === undefined) {
        acc = {
          from: ledger.from[t],
          to: ledger.to[t],
          count: 0,
          usd: 0,
          first: ledger.at[t],
          last: ledger.at[t],
          days: new Set(),
          assetUsd: new Map(),
        };
        pairs.set(key, acc);
      }
      acc.count++;
      acc.usd += ledger.usd[t];
      acc.first = Math.min(acc.first, ledger.at[t]);
      acc.last = Math.max(acc.last, ledger.at[t]);
      acc.days.add(Math.floor((ledger.at[t] - world.start) / DAY_MS));
      acc.assetUsd.set(ledger.asset[t], (acc.assetUsd.get(ledger.asset[t]) ?? 0) + ledger.usd[t]);
    }
  }
  const d = world.decimals;
  const flows = [...pairs.values()].sort((x, y) => x.first - y.first || x.from - y.from || x.to - y.to);
  return flows.map((acc) => {
    const back = pairs.get(acc.to * n + acc.from);
    const dominant = [...acc.assetUsd.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0][0];
    const reciprocity = back === undefined ? 0 : Math.min(acc.usd, back.usd) / Math.max(acc.usd, back.usd);
    return {
      from_address: addressOf(acc.from),
      to_address: addressOf(acc.to),
      tx_count: acc.count,
      amount_usd_sum: roundUsd(acc.usd, d),
      first_seen_timestamp: acc.first,
      last_seen_timestamp: acc.last,
      active_days: acc.days.size,
      avg_tx_size_usd: roundUsd(acc.usd / acc.count, d),
      unique_assets: acc.assetUsd.size,
      dominant_asset: world.assets[dominant],
      reciprocity_ratio: roundTo(reciprocity, 4),
      is_bidirectional: back !== undefined,
    };
  });
}

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function buildClusters(
  world: World,
  ledger: Ledger,
  built: BuiltAlert[],
  addressOf: (a: number) => string,
  nextClusterId: () => string,
): Cluster[] {
  const links = linkAlerts(
    world,
    ledger,
    built.map((b) => b.actor),
    () => 'any',
  );
  const members = new Map<number, number[]>();
  built.forEach((_, i) => {
    const root = links.root(i);
    const list = members.get(root) ?? [];
    list.push(i);
    members.set(root, list);
  });
  const clusters: Cluster[] = [];
  for (const [root, items] of members) {
    if (items.length < 2) continue;
    const alerts = items.map((i) => built[i].alert);
    let primary = items[0];
    for (const i of items) if (built[i].alert.volume_usd > built[primary].alert.volume_usd) primary = i;
    const addresses = [...new Set(alerts.map((a) => a.address))];
    const singleAddress = addresses.length === 1;
    const anyDirect = items.some((i) => links.direct.has(i));
    const anyShared = items.some((i) => links.shared.has(i));
    const via = [...(links.via.get(root) ?? [])]
      .sort((x, y) => x - y)
      .slice(0, 10)
      .map(addressOf);
    const confidences = alerts.map((a) => a.alert_confidence_score).filter((x) => !Number.isNaN(x));
    const worst = alerts.reduce<Severity>(
      (w, a) => (SEVERITY_RANK[a.severity] > SEVERITY_RANK[w] ? a.severity : w),
      'low',
    );
    clusters.push({
      cluster_id: nextClusterId(),
      cluster_type: singleAddress
        ? 'same_address'
        : anyDirect && anyShared
          ? 'mixed_link'
          : anyDirect
            ? 'direct_link'
            : 'shared_counterparty',
      primary_address: built[primary].alert.address,
      pattern_id: built[primary].alert.pattern_id,
      primary_alert_id: built[primary].alert.alert_id,
      related_alert_ids: alerts.map((a) => a.alert_id),
      addresses_involved: [...addresses, ...via.filter((v) => !addresses.includes(v))],
      total_alerts: alerts.length,
      total_volume_usd: roundUsd(
        alerts.reduce((s, a) => s + (Number.isNaN(a.volume_usd) ? 0 : a.volume_usd), 0),
        world.decimals,
      ),
      severity_max: worst,
      confidence_avg:
        confidences.length > 0
          ? roundTo(confidences.reduce((s, x) => s + x, 0) / confidences.length, 4)
          : Number.NaN,
      earliest_alert_timestamp: Math.min(...items.map((i) => built[i].triggerAt)),
      latest_alert_timestamp: Math.max(...items.map((i) => built[i].triggerAt)),
    });
  }
  return clusters;
}
