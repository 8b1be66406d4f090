/**
 * The foreign producer's own alerting rules, run over the ledger exactly as an upstream monitor
 * would: near-threshold splitting, fan-in/fan-out, fast pass-through, mixer contact, closed loops,
 * dormant wake-ups, value outliers and short-lived fresh wallets. The rules see behaviour, not the
 * simulation's truth, so benign lookalikes trip them too, which is where false positives come from.
 */
import { degreeOf, edgePosition, type Ledger } from './ledger.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, type Role, type World } from './world.js';

export type RuleId = 'R-STR' | 'R-FIN' | 'R-FOUT' | 'R-RLY' | 'R-MIX' | 'R-CYC' | 'R-DRM' | 'R-VAL' | 'R-NEW';

export interface Candidate {
  actor: number;
  rule: RuleId;
  /** How far past the rule's bar the behaviour is, 0..1. */
  strength: number;
  typology: string;
  patternType: string;
  /** The counterparties the rule looked at, most relevant first. */
  counterparties: number[];
  hops: number;
  windowHours: number;
  triggerAt: number;
  facts: Record<string, number>;
}

/** Known service roles: an upstream monitor allow-lists these, so they never get alerts. */
export const SERVICE_ROLES: ReadonlySet<Role> = new Set(['exchange', 'dex', 'mixer', 'bridge']);
const DETECTOR_THRESHOLDS = [3_000, 5_000, 10_000, 15_000];

interface Scan {
  n: number;
  inCount: number;
  outCount: number;
  inUsd: number;
  outUsd: number;
  maxTx: number;
  near: number;
  nearParties: Set<number>;
  nearThreshold: number;
  medianLag: number;
  mixerOut: number;
  mixerIn: number;
  swapLoops: number;
  first: number;
  last: number;
  outBurstShare: number;
  minOutShare: number;
  byVolume: number[];
}

function nearThresholdOf(amount: number): number {
  for (const t of DETECTOR_THRESHOLDS) if (amount >= 0.85 * t && amount < t) return t;
  return 0;
}

function scanActor(world: World, ledger: Ledger, a: number): Scan {
  const roles = world.actors.role;
  const s: Scan = {
    n: 0,
    inCount: 0,
    outCount: 0,
    inUsd: 0,
    outUsd: 0,
    maxTx: 0,
    near: 0,
    nearParties: new Set(),
    nearThreshold: 0,
    medianLag: Number.NaN,
    mixerOut: 0,
    mixerIn: 0,
    swapLoops: 0,
    first: Number.NaN,
    last: Number.NaN,
    outBurstShare: 0,
    minOutShare: 1,
    byVolume: [],
  };
  const lags: number[] = [];
  const outTimes: number[] = [];
  const volume = new Map<number, number>();
  const outVolume = new Map<number, number>();
  let lastIn = Number.NaN;
  let lastDexOut = -1;
  let lastDexOutAt = 0;
  for (let k = ledger.txOffsets[a]; k < ledger.txOffsets[a + 1]; k++) {
    const t = ledger.txItems[k];
    const amount = ledger.usd[t];
    const at = ledger.at[t];
    const outgoing = ledger.from[t] === a;
    const other = outgoing ? ledger.to[t] : ledger.from[t];
    s.n++;
    if (Number.isNaN(s.first)) s.first = at;
    s.last = at;
    s.maxTx = Math.max(s.maxTx, amount);
    volume.set(other, (volume.get(other) ?? 0) + amount);
    const threshold = nearThresholdOf(amount);
    if (threshold > 0) {
      s.near++;
      s.nearParties.add(other);
      s.nearThreshold = threshold;
    }
    if (outgoing) {
      s.outCount++;
      s.outUsd += amount;
      outTimes.push(at);
      outVolume.set(other, (outVolume.get(other) ?? 0) + amount);
      if (!Number.isNaN(lastIn)) lags.push(at - lastIn);
      if (roles[other] === 'mixer') s.mixerOut++;
      if (roles[other] === 'dex') {
        lastDexOut = other;
        lastDexOutAt = at;
      }
    } else {
      s.inCount++;
      s.inUsd += amount;
      lastIn = at;
      if (roles[other] === 'mixer') s.mixerIn++;
      if (other === lastDexOut && at - lastDexOutAt <= 5 * MINUTE_MS) s.swapLoops++;
    }
  }
  if (lags.length > 0) s.medianLag = lags.sort((x, y) => x - y)[lags.length >> 1];
  if (outTimes.length > 0) {
    let best = 0;
    for (let i = 0, j = 0; i < outTimes.length; i++) {
      while (outTimes[i] - outTimes[j] > 2 * HOUR_MS) j++;
      best = Math.max(best, i - j + 1);
    }
    s.outBurstShare = best / outTimes.length;
  }
  if (outVolume.size >= 2)
    for (const v of outVolume.values()) s.minOutShare = Math.min(s.minOutShare, v / s.outUsd);
  s.byVolume = [...volume.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).map(([id]) => id);
  return s;
}

function edgeUsd(ledger: Ledger, a: number, b: number): number {
  const position = edgePosition(ledger.outOffsets, ledger.outItems, a, b);
  return position < 0 ? 0 : ledger.outUsd[position];
}

/**
 * A directed loop of 3..5 non-service wallets back to `start` that returns most of what left on its
 * first edge (retail payment circles rarely do), or 0 when none is found within a visit budget.
 */
function loopLength(world: World, ledger: Ledger, start: number): number {
  const roles = world.actors.role;
  let budget = 300;
  // Entries: node, depth, first hop of the path that reached it.
  const stack: [number, number, number][] = [[start, 0, -1]];
  const visited = new Set<number>();
  while (stack.length > 0 && budget > 0) {
    const [node, depth, firstHop] = stack.pop()!;
    budget--;
    if (depth >= 2) {
      const back = edgeUsd(ledger, node, start);
      const sent = edgeUsd(ledger, start, firstHop);
      if (back > 0 && back >= 0.6 * sent && back <= 1.1 * sent) return depth + 1;
    }
    if (depth >= 4 || degreeOf(ledger.outOffsets, node) > 25) continue;
    visited.add(node);
    for (let k = ledger.outOffsets[node]; k < ledger.outOffsets[node + 1]; k++) {
      const next = ledger.outItems[k];
      if (next !== start && !visited.has(next) && !SERVICE_ROLES.has(roles[next])) {
        stack.push([next, depth + 1, depth === 0 ? next : firstHop]);
      }
    }
  }
  return 0;
}

function candidatesOf(world: World, ledger: Ledger, a: number): Candidate[] {
  const s = scanActor(world, ledger, a);
  if (s.n === 0) return [];
  const senders = degreeOf(ledger.inOffsets, a);
  const recipients = degreeOf(ledger.outOffsets, a);
  const volume = s.inUsd + s.outUsd;
  const windowHours = Math.max(1, Math.ceil((s.last - s.first) / HOUR_MS));
  const base = { actor: a, counterparties: s.byVolume.slice(0, 6), hops: 1, windowHours, triggerAt: s.last };
  const out: Candidate[] = [];
  const add = (
    rule: RuleId,
    strength: number,
    typology: string,
    patternType: string,
    facts: Record<string, number>,
  ) =>
    out.push({ ...base, rule, strength: Math.min(1, Math.max(0, strength)), typology, patternType, facts });

  const nearShare = s.near / s.n;
  if (s.near >= 3 && nearShare >= 0.3) {
    add(
      'R-STR',
      0.5 * Math.min(1, s.near / 10) + 0.5 * nearShare,
      s.nearParties.size >= 3 ? 'smurfing' : 'structuring',
      'threshold_split',
      { near_threshold_tx: s.near, threshold_usd: s.nearThreshold },
    );
  }
  if (senders >= 8 && senders >= 3 * Math.max(1, recipients)) {
    add(
      'R-FIN',
      Math.log(senders / 4) / Math.log(60),
      recipients <= 2 ? 'collector_wallet' : 'fan_in',
      'hub_convergence',
      { senders, recipients },
    );
  }
  if (recipients >= 8 && recipients >= 3 * Math.max(1, senders)) {
    add(
      'R-FOUT',
      Math.log(recipients / 4) / Math.log(60),
      s.outBurstShare >= 0.8 ? 'distribution_burst' : 'fan_out',
      'hub_dispersion',
      { senders, recipients },
    );
  }
  const passThrough = s.inUsd > 0 ? s.outUsd / s.inUsd : 0;
  if (
    s.inCount >= 1 &&
    s.outCount >= 1 &&
    passThrough >= 0.8 &&
    passThrough <= 1.02 &&
    s.medianLag <= 3 * HOUR_MS &&
    s.n <= 60
  ) {
    const peel = s.minOutShare <= 0.08;
    add(
      'R-RLY',
      1 - (0.6 * s.medianLag) / (3 * HOUR_MS),
      peel ? 'peel_chain' : s.medianLag <= HOUR_MS ? 'rapid_movement' : 'layering',
      peel ? 'peel_sequence' : 'relay_chain',
      { median_hold_min: Math.round(s.medianLag / MINUTE_MS), pass_through: passThrough },
    );
  }
  if (s.mixerOut + s.mixerIn >= 1) {
    add(
      'R-MIX',
      0.35 + 0.2 * (s.mixerOut + s.mixerIn),
      s.mixerOut > 0 ? 'mixer_interaction' : 'mixer_withdrawal',
      s.mixerOut > 0 ? 'pool_deposit' : 'pool_withdrawal',
      { mixer_tx: s.mixerOut + s.mixerIn },
    );
  }
  const loop = recipients <= 20 && senders >= 1 ? loopLength(world, ledger, a) : 0;
  if (loop > 0) add('R-CYC', 0.5 + 0.1 * (5 - loop), 'cycle', 'closed_loop', { loop_length: loop });
  else if (s.swapLoops >= 4)
    add('R-CYC', Math.min(1, s.swapLoops / 40), 'round_trip', 'swap_loop', { swap_loops: s.swapLoops });
  const slept = world.start - world.actors.dormantSince[a];
  if (slept >= 120 * DAY_MS && volume >= 10_000) {
    add('R-DRM', Math.min(1, slept / (1000 * DAY_MS)), 'dormant_reactivation', 'sleeper_wake', {
      dormant_days: Math.round(slept / DAY_MS),
    });
  }
  const fresh = world.actors.createdAt[a] >= world.start;
  if (s.maxTx >= 150_000 || (fresh && volume >= 100_000)) {
    add(
      'R-VAL',
      Math.log10(Math.max(volume, 1)) / 7,
      fresh ? 'new_wallet_high_value' : 'value_spike',
      'value_outlier',
      { max_tx_usd: s.maxTx },
    );
  }
  if (fresh && s.n >= 3 && s.last - s.first <= 48 * HOUR_MS && volume >= 3_000) {
    add('R-NEW', 1 - (s.last - s.first) / (48 * HOUR_MS), 'fresh_wallet_burst', 'ephemeral_wallet', {
      lifetime_h: windowHours,
    });
  }
  return out;
}

/** Follows each relay's dominant recipient while it is a relay too: the chain length seen from here. */
function annotateRelayHops(ledger: Ledger, candidates: Candidate[]): void {
  const relays = new Map<number, Candidate>();
  for (const c of candidates) if (c.rule === 'R-RLY') relays.set(c.actor, c);
  for (const c of relays.values()) {
    let hops = 1;
    let node = c.actor;
    const seen = new Set([node]);
    while (hops < 12) {
      let next = -1;
      let best = 0;
      for (let k = ledger.txOffsets[node]; k < ledger.txOffsets[node + 1]; k++) {
        const t = ledger.txItems[k];
        if (ledger.from[t] === node && ledger.usd[t] > best && relays.has(ledger.to[t])) {
          best = ledger.usd[t];
          next = ledger.to[t];
        }
      }
      if (next < 0 || seen.has(next)) break;
      seen.add(next);
      node = next;
      hops++;
    }
    c.hops = hops;
  }
}

/** Every rule hit over every non-service wallet, in actor order. */
export function runDetectors(world: World, ledger: Ledger): Candidate[] {
  const all: Candidate[] = [];
  for (let a = 0; a < ledger.actorCount; a++) {
    if (SERVICE_ROLES.has(world.actors.role[a])) continue;
    for (const c of candidatesOf(world, ledger, a)) all.push(c);
  }
  annotateRelayHops(ledger, all);
  return all;
}
