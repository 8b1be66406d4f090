/**
 * Where a conformed trap sits among the batch's own things: its new address, pattern id and volume
 * (on a point mass when its source's was), the counterparties its flows are re-pointed to (same
 * role, about the same degree, hubs to hubs, one address per source counterparty), the cluster it
 * joins and the clusters it leads (docs/validator.md, "Traps").
 */
import type { Batch } from '../../data/batch.js';
import { lowerBound } from '../../features/stats.js';
import type { Rng } from '../../random.js';
import type { Alert } from '../../schemas/alert.js';
import type { BatchProfile } from './batch-profile.js';
import type { ConformState } from './conform.js';
import type { TrapMaterial } from './material.js';

export const siblingKey = (m: TrapMaterial) => `${m.origin}|${m.sourceDate}|${m.alert.address}`;

export function ledClustersFor(
  material: TrapMaterial,
  batch: Batch,
  profile: BatchProfile,
  state: ConformState,
  rng: Rng,
  donorIdx: number,
  address: string,
  patternId: string | undefined,
  dayShift: number,
): number[] {
  const donor = batch.alerts[donorIdx];
  const led =
    material.origin === 'bank'
      ? (material.ledClusters ?? [])
      : profile.clustersOfAlert[donorIdx]
          .map((ci) => batch.clusters[ci])
          .filter((c) => c.primary_address === donor.address);
  const out: number[] = [];
  for (const template of led.slice(0, 2)) {
    const key = `${siblingKey(material)}|${template.cluster_id}`;
    let index = state.clusterOfSource.get(key);
    if (index === undefined) {
      const sameAddress = (template.addresses_involved ?? []).length <= 1;
      const others = sameAddress
        ? 0
        : Math.min(10, Math.max(0, (template.related_alert_ids ?? []).length - 1));
      const pool = profile.alertsByTypology.get(donor.typology_type ?? 'unknown') ?? [];
      const reals = new Set<string>();
      for (let k = 0; k < others * 3 && reals.size < others; k++) {
        const i =
          pool.length > 0 && rng.bool(0.7)
            ? pool[rng.int(0, pool.length - 1)]
            : rng.int(0, batch.alerts.length - 1);
        reals.add(batch.alerts[i].alert_id);
      }
      const shape = profile.shapes.clusterId;
      const clusterId = shape
        ? shape.generate(rng, shape.anyExample(rng), state.clusterIds)
        : `cluster_${state.clusterIds.size}`;
      state.clusterIds.add(clusterId);
      index = state.clusters.length;
      state.clusters.push({
        template,
        clusterId,
        primaryAddress: address,
        patternId,
        sameAddress,
        traps: [],
        reals: [...reals],
        dayShift,
      });
      state.clusterOfSource.set(key, index);
    }
    out.push(index);
  }
  return out;
}

/**
 * Gives every trap address of every source batch its new address before any flow is re-pointed,
 * so a flow between two traps of one source links the two traps, as it did there.
 */
export function placeTrapAddresses(
  materials: readonly TrapMaterial[],
  batch: Batch,
  profile: BatchProfile,
  state: ConformState,
  rng: Rng,
): void {
  for (const m of materials) {
    if (m.origin !== 'bank') continue;
    const key = `${m.origin}|${m.sourceDate}`;
    if (!state.placed.has(key)) state.placed.set(key, new Map());
    const placed = state.placed.get(key)!;
    if (placed.has(m.alert.address)) continue;
    const donor = batch.alerts[rng.int(0, batch.alerts.length - 1)];
    placed.set(m.alert.address, freshAddress(profile, state, rng, donor.address));
  }
}

/** Flows from which a counterparty counts as a hub (exchange, mixer, busy service). */
export const HUB_DEGREE = 10;
/**
 * Flows from which traps share a counterparty as real alerts share the day's exchanges: below it,
 * several traps on one address of a middling degree made it busier than any source counterpart
 * (measured: counterparties of 30–100 flows 17 % of trap flows against 14 % of real ones).
 */
const SHARED_HUB_DEGREE = 100;

export function pick<T>(rng: Rng, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[rng.int(0, items.length - 1)];
}

export function freshAddress(profile: BatchProfile, state: ConformState, rng: Rng, donor: string): string {
  const shape = profile.shapes.address;
  const address = shape ? shape.generate(rng, donor, state.addresses) : `addr_${state.addresses.size}`;
  state.addresses.add(address);
  return address;
}

export function donorIndex(
  batch: Batch,
  profile: BatchProfile,
  typology: string | undefined,
  rng: Rng,
): number {
  const sameTypology = typology ? profile.alertsByTypology.get(typology) : undefined;
  return (
    pick(rng, sameTypology && sameTypology.length > 0 ? sameTypology : batch.alerts.map((_, i) => i)) ?? 0
  );
}

export function patternIdFor(
  profile: BatchProfile,
  state: ConformState,
  rng: Rng,
  donor: Alert,
  material?: TrapMaterial,
): string | undefined {
  if (profile.patternIds.all.length === 0) return undefined;
  if (profile.patternIds.categorical) {
    return pick(
      rng,
      profile.patternIds.byTypology.get(donor.typology_type ?? 'unknown') ?? profile.patternIds.all,
    );
  }
  const shared = material ? sharedPatternId(profile, state, rng, donor, material) : undefined;
  if (shared) return shared;
  const shape = profile.shapes.patternId!;
  const id = shape.generate(rng, donor.pattern_id ?? shape.anyExample(rng), state.patternIds);
  state.patternIds.add(id);
  if (material?.origin === 'bank' && material.alert.pattern_id)
    state.patterns.set(patternKey(material, material.alert.pattern_id), id);
  return id;
}

const patternKey = (m: TrapMaterial, pattern: string) => `${m.origin}|${m.sourceDate}|${pattern}`;

/**
 * Where ids are per pattern and a pattern spans several alerts, the id repeats; a trap whose
 * source shared its pattern id must share one here too, or every trap would carry a one-off id
 * (`pattern_id.value_freq`). Traps of one source pattern keep sharing theirs; a synthetic trap takes
 * its lent donor's (the donor is not sent, so the trap stands in its place); a bank trap joins a
 * real pattern of its typology that has as many alerts as its source's had besides it.
 */
function sharedPatternId(
  profile: BatchProfile,
  state: ConformState,
  rng: Rng,
  donor: Alert,
  material: TrapMaterial,
): string | undefined {
  const { counts } = profile.patternIds;
  if (material.origin === 'synthetic')
    return donor.pattern_id && (counts.get(donor.pattern_id) ?? 0) > 1 ? donor.pattern_id : undefined;
  const source = material.alert.pattern_id;
  if (!source || !(material.patternPeers && material.patternPeers > 0)) return undefined;
  const key = patternKey(material, source);
  const known = state.patterns.get(key);
  if (known) return known;
  const want = material.patternPeers;
  const ofTypology = new Set(profile.patternIds.byTypology.get(donor.typology_type ?? 'unknown') ?? []);
  let best: string[] = [];
  let bestGap = Number.POSITIVE_INFINITY;
  for (const [id, count] of counts) {
    if (state.patternsTaken.has(id)) continue;
    const gap = Math.abs(count - want) + (ofTypology.has(id) ? 0 : 0.5);
    if (gap < bestGap) {
      bestGap = gap;
      best = [id];
    } else if (gap === bestGap) best.push(id);
  }
  const id = pick(rng, best);
  if (!id) return undefined;
  state.patternsTaken.add(id);
  state.patterns.set(key, id);
  return id;
}

/**
 * A counterparty of the trap with the role and about the degree its source counterparty had: a
 * counterparty that only ever saw this one flow becomes a new address (as real peripheral
 * counterparties are); others become an existing address of the same kind and similar degree.
 * Addresses in `avoid` (the trap's other counterparties) are passed over: two source
 * counterparties on one address would merge their flows into one pair, and a trap that lost flows
 * that way has fewer, busier counterparties than real alerts. Below a big hub's degree, addresses
 * another trap already trades with (`state.tradedWith`) are passed over too: the few addresses of
 * a rare degree would otherwise collect flows from many traps and end up busier than their source
 * counterparts were (`flows.counterparty_degree`); hubs are shared by real alerts as well, so they
 * stay shared.
 */
export function counterpartFor(
  kind: string,
  degree: number,
  profile: BatchProfile,
  state: ConformState,
  rng: Rng,
  donor: string,
  avoid: ReadonlySet<string> = new Set(),
): string {
  const k = (kind === 'alert' || kind === 'row' ? kind : 'none') as 'alert' | 'row' | 'none';
  const { addresses, degrees } = profile.byDegree[k];
  // `degree` counts the counterparty's flows besides the trap's: none means a new address.
  if ((k === 'none' && degree <= 0) || addresses.length === 0)
    return freshAddress(profile, state, rng, donor);
  const want = Math.max(1, degree);
  // A big hub becomes the hub of the nearest degree (the day's exchange, not a random one).
  if (want >= SHARED_HUB_DEGREE) {
    const at = Math.min(addresses.length - 1, lowerBound(degrees, want));
    const below = at > 0 && Math.abs(degrees[at - 1] - want) < Math.abs(degrees[at] - want);
    const start = below ? at - 1 : at;
    return addresses[nearestFree(degrees, start, want, (i) => avoid.has(addresses[i]))] ?? addresses[start];
  }
  // An address of exactly the wanted degree, else of the nearest: drawing from a band around it
  // (×1.5 either way, as an earlier version did) lands where addresses are densest, which for
  // rows and alerts is the band's busy end, so traps' counterparties came out busier than real ones.
  const busy = { has: (a: string) => avoid.has(a) || state.tradedWith.has(a) };
  const from = Math.min(lowerBound(degrees, want), addresses.length - 1);
  const to = Math.max(from + 1, Math.min(addresses.length, lowerBound(degrees, want + 1)));
  for (let attempt = 0; attempt < 4; attempt++) {
    const candidate = addresses[from + rng.int(0, to - from - 1)];
    if (!busy.has(candidate)) return remember(state, candidate);
  }
  const start = from + rng.int(0, to - from - 1);
  const free = nearestFree(degrees, start, want, (i) => busy.has(addresses[i]));
  if (free >= 0 && Math.abs(degrees[free] - want) <= want / 2) return remember(state, addresses[free]);
  // When every address near that degree is taken, sharing one beats a much busier one.
  const shared = nearestFree(degrees, start, want, (i) => avoid.has(addresses[i]));
  return remember(state, addresses[shared] ?? addresses[start]);
}

function remember(state: ConformState, address: string): string {
  state.tradedWith.add(address);
  return address;
}

/** The index nearest in degree to `want`, starting at `start`, that is not `taken`; -1 if none. */
function nearestFree(
  degrees: readonly number[],
  start: number,
  want: number,
  taken: (i: number) => boolean,
): number {
  let down = start;
  let up = start + 1;
  while (down >= 0 || up < degrees.length) {
    const takeDown =
      down >= 0 && (up >= degrees.length || Math.abs(degrees[down] - want) <= Math.abs(degrees[up] - want));
    const i = takeDown ? down-- : up++;
    if (!taken(i)) return i;
  }
  return -1;
}

/**
 * A clustered trap joins a cluster whose alerts already sit on several addresses (a new address in
 * a same-address cluster would stand out): the donor's own when it is such a cluster.
 */
export function joinClusterFor(
  profile: BatchProfile,
  donorIdx: number,
  clustered: boolean,
  rng: Rng,
): number | null {
  if (!clustered) return null;
  const open = new Set(profile.openClusters);
  const own = profile.clustersOfAlert[donorIdx].filter((ci) => open.has(ci));
  if (own.length > 0) return pick(rng, own)!;
  return pick(rng, profile.openClusters) ?? null;
}

/** The value at a material quantile, jittered within its rank cell so ties spread like real values. */
/**
 * A volume several alerts of the source shared is a point mass of that world (scheme members
 * moving one sum): the trap takes a volume several real alerts share here, of its typology and
 * near its quantile, since a one-off value where real ones repeat would stand out.
 */
export function sharedVolume(material: TrapMaterial, profile: BatchProfile, rng: Rng): number | undefined {
  const q = material.alertQuantiles.volume_usd;
  if (!(material.volumePeers && material.volumePeers > 0) || q === null) return undefined;
  const shared = profile.sharedVolumeAlerts;
  const typology = material.alert.typology_type ?? 'unknown';
  const own = shared.filter((i) => (profile.typologyOf[i] ?? 'unknown') === typology);
  const pool = own.length > 0 ? own : shared;
  if (pool.length === 0) return undefined;
  let best = pool[rng.int(0, pool.length - 1)];
  let bestGap = Number.POSITIVE_INFINITY;
  for (const i of pool) {
    const gap = Math.abs(profile.volumeQuantile[i] - q) + 1e-3 * rng.next();
    if (gap < bestGap) {
      bestGap = gap;
      best = i;
    }
  }
  return profile.volumeOf[best];
}
