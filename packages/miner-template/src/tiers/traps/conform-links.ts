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
): string | undefined {
  if (profile.patternIds.all.length === 0) return undefined;
  if (profile.patternIds.categorical) {
    return pick(
      rng,
      profile.patternIds.byTypology.get(donor.typology_type ?? 'unknown') ?? profile.patternIds.all,
    );
  }
  const shape = profile.shapes.patternId!;
  const id = shape.generate(rng, donor.pattern_id ?? shape.anyExample(rng), state.patternIds);
  state.patternIds.add(id);
  return id;
}

/**
 * A counterparty of the trap with the role and about the degree its source counterparty had: a
 * counterparty that only ever saw this one flow becomes a new address (as real peripheral
 * counterparties are); others become an existing address of the same kind and similar degree.
 */
export function counterpartFor(
  kind: string,
  degree: number,
  profile: BatchProfile,
  state: ConformState,
  rng: Rng,
  donor: string,
): string {
  const k = (kind === 'alert' || kind === 'row' ? kind : 'none') as 'alert' | 'row' | 'none';
  const { addresses, degrees } = profile.byDegree[k];
  // `degree` counts the counterparty's flows besides the trap's: none means a new address.
  if ((k === 'none' && degree <= 0) || addresses.length === 0)
    return freshAddress(profile, state, rng, donor);
  const want = Math.max(1, degree);
  // A hub becomes the hub of the nearest degree (the day's exchange or mixer, not a random one).
  if (want >= HUB_DEGREE) {
    const at = Math.min(addresses.length - 1, lowerBound(degrees, want));
    const below = at > 0 && Math.abs(degrees[at - 1] - want) < Math.abs(degrees[at] - want);
    return addresses[below ? at - 1 : at];
  }
  // Addresses whose degree is within a factor 1.5 of the source's, else the nearest ones.
  const lo = lowerBound(degrees, Math.floor(want / 1.5));
  const hi = Math.max(lo + 1, lowerBound(degrees, Math.ceil(want * 1.5) + 1));
  const from = Math.min(lo, addresses.length - 1);
  const to = Math.min(hi, addresses.length);
  return addresses[from + rng.int(0, Math.max(0, to - from - 1))];
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
