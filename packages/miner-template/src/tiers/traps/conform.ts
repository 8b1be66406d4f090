/**
 * Conforms trap material to the batch it joins, so nothing a miner sees tells it apart from the
 * batch's real alerts (docs/validator.md, "Traps"):
 * - identities are new and written in the batch's own formats (address, alert id, pattern id),
 *   dates are the batch's, and every old identity in the description and evidence is rewritten;
 * - the feature row has exactly the batch's columns; bank material keeps its values (same
 *   producer), synthetic material takes a real alert's missingness pattern and has each value
 *   quantile-mapped onto the batch's own distribution, interpolated and rounded to the column's
 *   decimals (so values are in range and in format without copying a real cell);
 * - flows link to the batch's addresses the way the material's flows did (alert counterparties to
 *   real alert addresses, known addresses to known ones), and the trap joins a cluster when its
 *   material was clustered.
 * Synthetic material borrows a real donor alert's text, evidence and flows (re-pointed to the trap
 * address), because our generator's vocabulary is not the batch producer's.
 */
import type { Batch } from '../../data/batch.js';
import type { Rng } from '../../random.js';
import type { Alert } from '../../schemas/alert.js';
import type { Cluster } from '../../schemas/cluster.js';
import type { MoneyFlow } from '../../schemas/money-flow.js';
import { type BatchProfile, type ColumnProfile, decimalsOf, roundTo } from './batch-profile.js';
import {
  counterpartFor,
  donorIndex,
  freshAddress,
  HUB_DEGREE,
  joinClusterFor,
  ledClustersFor,
  patternIdFor,
  sharedVolume,
  siblingKey,
} from './conform-links.js';
import { jitterFlow, jitterNumbers, replaceAmount, shiftTimestamps } from './jitter.js';
import type { TrapMaterial } from './material.js';
import { syntheticDonor, syntheticRow } from './synthetic-row.js';
import { inFormat, nearestDonors, valueNear } from './trap-cells.js';
import { bankAlertNumber, bankRow, planRows, type RowPlan } from './trap-row.js';

/** Real rows like a bank trap's, one of which lends it a place in the tables. */
const NEAR_ROWS = 5;

const isRoundSum = (v: number) => v !== 0 && Number.isInteger(v / 10);

export interface ConformedTrap {
  truth: 0 | 1;
  origin: TrapMaterial['origin'];
  sourceDate: string;
  alert: Alert;
  /** Column → value in the batch's columns (null = missing); null when the trap has no row. */
  row: Record<string, number | null> | null;
  flows: MoneyFlow[];
  /** Index into the batch's clusters the trap joins, or null. */
  joinCluster: number | null;
  /** Indexes into the pool's new clusters this trap leads (or shares with its siblings). */
  ownClusters: number[];
  /**
   * Where the trap's row and each of its flows go in the batch's tables: after a real alert's (the
   * donor's for synthetic traps), so the traps' positions are distributed as real alerts' are.
   */
  rowAnchor: number;
  flowAnchors: number[];
  /**
   * For a synthetic trap, the address of the real alert it stands on: requests leave that address
   * out (alerts, row, flows), or the trap would sit next to its near twin.
   */
  donorAddress: string | null;
}

/**
 * A cluster the pool adds: a copy of a cluster the trap's source (or donor) led, with the trap as
 * its primary, its siblings, and as many real alerts as the source had other members. Members are
 * pool trap indexes and real alert ids; the request writes it out with the ids it sends.
 */
export interface PoolCluster {
  template: Cluster;
  clusterId: string;
  primaryAddress: string;
  patternId?: string;
  sameAddress: boolean;
  traps: number[];
  reals: string[];
  dayShift: number;
}

export interface ConformState {
  alertIds: Set<string>;
  addresses: Set<string>;
  patternIds: Set<string>;
  /** New pattern id of each bank source pattern (`origin|date|pattern`), so siblings share it. */
  patterns: Map<string, string>;
  /** Real pattern ids a bank trap has joined (each joined once, so its count grows by one). */
  patternsTaken: Set<string>;
  /** Materials already conformed, by source address: their siblings share the new address. */
  siblings: Map<string, Sibling>;
  /** New address of every trap address per source batch (`origin|date` → old → new). */
  placed: Map<string, Map<string, string>>;
  /** Flow pairs already emitted (two traps of one source share the flows between them). */
  flowPairs: Set<string>;
  clusters: PoolCluster[];
  clusterOfSource: Map<string, number>;
  clusterIds: Set<string>;
  /** How bank values carry into this batch, decided once for the pool's material. */
  rows: RowPlan;
  /** New address of every counterparty (seen more than once) per source (`origin|date|address`). */
  counterparts: Map<string, string>;
  /** Materials per source address (a group becomes one trap address). */
  groupSize: Map<string, number>;
  /** Addresses below a big hub's degree some trap's flows already go to (see counterpartFor). */
  tradedWith: Set<string>;
  /** Real alerts whose text a trap has taken. */
  textDonors: Set<number>;
  /** Feature rows already lent to a synthetic trap. */
  donors: Set<number>;
}

export function conformState(
  batch: Batch,
  profile: BatchProfile,
  materials: readonly TrapMaterial[] = [],
): ConformState {
  return {
    rows: planRows(batch, profile, materials),
    donors: new Set(),
    textDonors: new Set(),
    groupSize: materials.reduce(
      (m, x) => m.set(siblingKey(x), (m.get(siblingKey(x)) ?? 0) + 1),
      new Map<string, number>(),
    ),
    counterparts: new Map(),
    tradedWith: new Set(),
    alertIds: new Set(batch.alerts.map((a) => a.alert_id)),
    addresses: new Set(profile.takenAddresses),
    patternIds: new Set(profile.patternIds.all),
    patterns: new Map(),
    patternsTaken: new Set(),
    siblings: new Map(),
    placed: new Map(),
    flowPairs: new Set(batch.money_flows.map((f) => `${f.from_address}\u0000${f.to_address}`)),
    clusters: [],
    clusterOfSource: new Map(),
    clusterIds: new Set(batch.clusters.map((c) => c.cluster_id)),
  };
}

/** New clusters the trap leads, created once per sibling group and source cluster. */
const DAY_MS = 86_400_000;

function replaceAll(text: string | undefined, map: ReadonlyMap<string, string>): string | undefined {
  if (text === undefined) return undefined;
  let out = text;
  for (const [from, to] of map) if (from && from !== to && out.includes(from)) out = out.split(from).join(to);
  return out;
}

function mapped(col: ColumnProfile, q: number, sourceRows: number, rng: Rng) {
  return valueNear(col, q + (rng.next() - 0.5) / Math.max(1, sourceRows));
}

function alertNumber(
  material: TrapMaterial,
  field: 'volume_usd' | 'alert_confidence_score',
  col: BatchProfile['volume'],
  rng: Rng,
) {
  const q = material.alertQuantiles[field];
  if (q === null || col.sorted.length === 0) return Number.NaN;
  return mapped(col, q, material.sourceRows, rng);
}

// biome-ignore lint/complexity/noBannedTypes: kept as an extension point for callers' options
export type ConformOptions = {};

/** Identity shared by materials from one source address (several alerts on one address). */
interface Sibling {
  address: string;
  donorIdx: number;
  rename: Map<string, string>;
}

/** Flows and their counterparty kinds as the trap's source saw them. */
function flowSource(material: TrapMaterial, batch: Batch, profile: BatchProfile, donorIdx: number) {
  if (material.origin === 'bank')
    return {
      flows: material.flows,
      kinds: material.counterparties,
      degree: material.counterpartyDegree ?? {},
      own: material.alert.address,
    };
  const own = batch.alerts[donorIdx].address;
  const flows = profile.flowsOf.get(own) ?? [];
  const kinds: Record<string, string> = {};
  const degree: Record<string, number> = {};
  for (const f of flows) {
    for (const a of [f.from_address, f.to_address]) {
      if (a === own) continue;
      kinds[a] = profile.alertAddressSet.has(a) ? 'alert' : profile.rowAddressSet.has(a) ? 'row' : 'none';
      degree[a] = profile.flowsOf.get(a)?.length ?? 1;
    }
  }
  return { flows, kinds, degree, own };
}

export function conformTrap(
  material: TrapMaterial,
  batch: Batch,
  profile: BatchProfile,
  state: ConformState,
  rng: Rng,
  _options: ConformOptions = {},
): ConformedTrap {
  const synthetic = material.origin === 'synthetic';
  const knownTypology = profile.alertsByTypology.has(material.alert.typology_type ?? 'unknown');
  const sibling = state.siblings.get(siblingKey(material));
  // A synthetic sibling borrows the text of another real alert on its donor's address, as two
  // real alerts on one address have two texts.
  const siblingDonor =
    sibling && synthetic
      ? (profile.alertsOnRow(profile.alertRow[sibling.donorIdx]).find((i) => !state.textDonors.has(i)) ??
        sibling.donorIdx)
      : sibling?.donorIdx;
  const donorIdx =
    siblingDonor ??
    (synthetic
      ? syntheticDonor(
          material,
          batch,
          profile,
          state.rows,
          state.donors,
          state.groupSize.get(siblingKey(material)) ?? 1,
          rng,
        )
      : donorIndex(batch, profile, knownTypology ? material.alert.typology_type : undefined, rng));
  const donor = batch.alerts[donorIdx];
  state.textDonors.add(donorIdx);
  // Bank material keeps its own text and flows; synthetic material borrows the donor's.
  const base = synthetic ? donor : material.alert;
  const address =
    sibling?.address ??
    state.placed.get(`${material.origin}|${material.sourceDate}`)?.get(material.alert.address) ??
    freshAddress(profile, state, rng, donor.address);
  const alertId = profile.shapes.alertId
    ? profile.shapes.alertId.generate(rng, donor.alert_id, state.alertIds)
    : `alert_${state.alertIds.size}`;
  state.alertIds.add(alertId);
  const patternId = patternIdFor(
    profile,
    state,
    rng,
    !synthetic && knownTypology ? { ...donor, typology_type: material.alert.typology_type } : donor,
    material,
  );

  const dayShift = synthetic
    ? 0
    : Math.round(
        (Date.parse(`${batch.key.processing_date}T00:00:00Z`) -
          Date.parse(`${material.sourceDate}T00:00:00Z`)) /
          DAY_MS,
      );
  const shift = (t: number) => (Number.isFinite(t) ? t + dayShift * DAY_MS : t);
  const windowEnd = Date.parse(`${batch.key.processing_date}T00:00:00Z`) + DAY_MS - 1;
  const windowStart = windowEnd + 1 - batch.key.window_days * DAY_MS;
  // One scale per synthetic trap for its amounts, text and flows, so they stay consistent; none
  // when the donor's volume is one several real alerts share (the batch's volumes have such point
  // masses, and real texts stating them repeat word for word).
  const repeated = synthetic && (profile.volumeCounts.get(donor.volume_usd) ?? 0) > 1;
  const factor = repeated ? 1 : 0.8 + 0.45 * rng.next();

  const volume = Number.isFinite(base.volume_usd)
    ? synthetic
      ? repeated
        ? base.volume_usd
        : roundTo(base.volume_usd * factor, profile.volume.decimals)
      : (sharedVolume(material, profile, rng) ??
        bankAlertNumber(material, 'volume_usd', profile.volume, state.rows.volume, rng))
    : base.volume_usd;
  const scale = !synthetic && Number.isFinite(volume) && base.volume_usd > 0 ? volume / base.volume_usd : 1;
  let flows: MoneyFlow[] = [];
  const rename = sibling?.rename ?? new Map<string, string>();
  if (!sibling) {
    const src = flowSource(material, batch, profile, donorIdx);
    // Addresses of the same source already placed (other traps of that batch) keep their place.
    const placed =
      material.origin === 'bank' ? state.placed.get(`${material.origin}|${material.sourceDate}`) : undefined;
    rename.set(src.own, address);
    for (const [cp, kind] of Object.entries(src.kinds)) {
      // Its degree without the source alert's flows, which the trap's flows add back here.
      const own = src.flows.filter((f) => f.from_address === cp || f.to_address === cp).length;
      const degree = (src.degree[cp] ?? 1) - own;
      const memoKey = `${material.origin}|${material.sourceDate}|${cp}`;
      // A hub a synthetic trap's donor trades with is a hub of this batch: the trap trades with
      // it too, as many real alerts do. Any other counterparty seen by several traps of one source
      // stays one address here, so shared counterparties stay shared.
      let to =
        placed?.get(cp) ?? (synthetic && degree + own >= HUB_DEGREE ? cp : state.counterparts.get(memoKey));
      if (to === undefined) {
        to = counterpartFor(kind, degree, profile, state, rng, donor.address, new Set(rename.values()));
        if (degree > 0) state.counterparts.set(memoKey, to);
      }
      rename.set(cp, to);
    }
    const rn = (a: string) => rename.get(a) ?? a;
    flows = src.flows
      .filter((f) => {
        const pair = `${rn(f.from_address)}\u0000${rn(f.to_address)}`;
        if (state.flowPairs.has(pair)) return false;
        state.flowPairs.add(pair);
        return true;
      })
      .map((f) => {
        const moved = { ...f, from_address: rn(f.from_address), to_address: rn(f.to_address) };
        if (synthetic)
          return jitterFlow(moved, factor, rng, {
            start: Math.max(windowStart, profile.flowTimes.first),
            end: Math.min(windowEnd, profile.flowTimes.last),
            amountDecimals: profile.flowAmountDecimals,
          });
        // Amounts on the batch's scale, as the trap's volume is (prices differ between days).
        // Each amount keeps the decimals it was written with. A round sum (a multiple of ten, as
        // structured transfers under a threshold are) stays the same sum where this batch has
        // round sums too: rules, not prices, set it, and scaled it would be neither round nor fine.
        const amount = !Number.isFinite(f.amount_usd_sum)
          ? f.amount_usd_sum
          : isRoundSum(f.amount_usd_sum) && profile.flowAmounts.integerShare > 0.01
            ? f.amount_usd_sum
            : inFormat(
                roundTo(f.amount_usd_sum * scale, decimalsOf(f.amount_usd_sum)),
                profile.flowAmounts,
                rng,
              );
        return {
          ...moved,
          amount_usd_sum: amount,
          avg_tx_size_usd:
            amount !== f.amount_usd_sum && Number.isFinite(f.avg_tx_size_usd) && f.tx_count > 0
              ? roundTo(amount / f.tx_count, profile.flowAmountDecimals)
              : f.avg_tx_size_usd,
          first_seen_timestamp: shift(f.first_seen_timestamp),
          last_seen_timestamp: shift(f.last_seen_timestamp),
        };
      });
    state.siblings.set(siblingKey(material), { address, donorIdx, rename });
  }
  const textRename = new Map(rename);
  textRename.set(base.address, address);
  textRename.set(base.alert_id, alertId);
  if (base.pattern_id && patternId) textRename.set(base.pattern_id, patternId);
  if (!synthetic) textRename.set(material.sourceDate, batch.key.processing_date);

  const text = (field: 'description' | 'evidence_json') => {
    const renamed = replaceAll(base[field], textRename);
    if (renamed === undefined) return undefined;
    if (!synthetic)
      return replaceAmount(shiftTimestamps(renamed, dayShift * DAY_MS), base.volume_usd, volume);
    // Numbers recombined from other real texts of the same template, so the trap's text is
    // neither a copy of its donor nor shaped like it alone.
    // The donor's numbers, jittered (never a real text's exact numbers, which would duplicate
    // it), with the stated volume the trap's own.
    // A text real alerts share word for word stays the donor's; any other is the donor's with its
    // numbers jittered (a real text's exact numbers would make it a duplicate) and the trap's volume.
    if ((profile.textCounts.get(base[field] ?? '') ?? 0) > 1) return renamed;
    return jitterNumbers(renamed, factor, rng, new Map([[base.volume_usd, volume]]));
  };
  const alert: Alert = {
    ...base,
    alert_id: alertId,
    address,
    pattern_id: patternId,
    processing_date: donor.processing_date === undefined ? undefined : batch.key.processing_date,
    window_days: donor.window_days === undefined ? undefined : batch.key.window_days,
    description: text('description'),
    evidence_json: text('evidence_json'),
  };
  alert.volume_usd = volume;
  // The upstream detector's confidence, on the batch's own scale (and absent as often).
  if (!synthetic)
    alert.alert_confidence_score =
      profile.confidence.sorted.length === 0
        ? Number.NaN
        : bankAlertNumber(material, 'alert_confidence_score', profile.confidence, state.rows.confidence, rng);
  else
    alert.alert_confidence_score = Number.isFinite(donor.alert_confidence_score)
      ? alertNumber(material, 'alert_confidence_score', profile.confidence, rng)
      : Number.NaN;
  // The real row nearest to a bank trap's in rank space: it lends the trap's row the values it
  // cannot carry, and its place in the tables (the producer's table order often follows what the
  // row is, hubs first, late actors last, so a random place would stand out).
  const nearRows =
    !synthetic && material.quantiles
      ? nearestDonors(
          state.rows,
          profile.columns.length,
          (j) => material.quantiles![profile.columns[j]],
          new Set(),
          undefined,
          NEAR_ROWS,
        )
      : [];
  // The trap's place follows one of them, not always the nearest: a row placed right after its
  // near twin would be found by comparing each row with the one before it.
  const nearRow = nearRows.length === 0 ? -1 : nearRows[rng.int(0, nearRows.length - 1)];
  const row = sibling
    ? null
    : synthetic
      ? syntheticRow(material, batch, profile, state.rows, profile.alertRow[donorIdx], rng)
      : bankRow(material, batch, profile, state.rows, nearRows[0] ?? -1, rng);
  const ownClusters = ledClustersFor(
    material,
    batch,
    profile,
    state,
    rng,
    donorIdx,
    address,
    patternId,
    dayShift,
  );
  // Positions follow a real alert with about as many flows (the donor itself for synthetic traps).
  let anchorAlert = donor;
  const nearAlerts = nearRow >= 0 ? profile.alertsOnRow(nearRow) : [];
  if (nearAlerts.length > 0) anchorAlert = batch.alerts[nearAlerts[0]];
  else if (!synthetic) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = batch.alerts[rng.int(0, batch.alerts.length - 1)];
      const k = profile.flowIndexesOf.get(candidate.address)?.length ?? 0;
      anchorAlert = candidate;
      if (Math.abs(k - flows.length) <= Math.max(1, flows.length / 4)) break;
    }
  }
  const anchorFlows = profile.flowIndexesOf.get(anchorAlert.address) ?? [];
  const flowAnchors = flows.map((_, k) =>
    anchorFlows.length > 0
      ? anchorFlows[k % anchorFlows.length]
      : rng.int(0, Math.max(0, batch.money_flows.length - 1)),
  );
  const anchorRow = profile.alertRow[batch.alerts.indexOf(anchorAlert)];
  const rowAnchor = anchorRow >= 0 ? anchorRow : rng.int(0, Math.max(0, batch.features.address.length - 1));
  const clustered = synthetic ? profile.clustersOfAlert[donorIdx].length > 0 : material.clustered;
  return {
    truth: material.truth,
    origin: material.origin,
    sourceDate: material.sourceDate,
    alert,
    row,
    flows,
    // A trap that leads its own cluster joins no other; the rest join one as often as their source did.
    joinCluster: ownClusters.length > 0 ? null : joinClusterFor(profile, donorIdx, clustered, rng),
    ownClusters,
    rowAnchor,
    flowAnchors,
    donorAddress: synthetic ? donor.address : null,
  };
}

export { placeTrapAddresses } from './conform-links.js';
