/**
 * The foreign producer's simulated chain: actors (wallets, hubs, contracts), communities, and one
 * append-only transaction log that every table is later derived from. Background activity is a
 * Polya-urn preferential attachment inside communities, with exchanges and DEX contracts as global
 * hubs, so degree distributions are heavy-tailed for reasons of its own rather than by assignment.
 */
import { roundUsd } from './formats.js';
import type { Rng } from './rng.js';

export type Role =
  // infrastructure and background
  | 'retail'
  | 'whale'
  | 'exchange'
  | 'dex'
  | 'mixer'
  | 'bridge'
  // benign but suspicious-looking
  | 'deposit_address'
  | 'payroll'
  | 'arb_bot'
  | 'invoice_payer'
  | 'privacy_user'
  | 'dormant_holder'
  | 'otc_desk'
  | 'farm_master'
  | 'farm_wallet'
  | 'merchant'
  // illicit
  | 'placer'
  | 'mule'
  | 'collector'
  | 'theft_origin'
  | 'relay_hop'
  | 'peel_sink'
  | 'mix_funder'
  | 'mix_depositor'
  | 'mix_recipient'
  | 'loop_member'
  | 'scam_collector'
  | 'consolidator'
  | 'disperser'
  | 'drop_wallet';

/** Actors as parallel arrays: index = actor id. */
export interface Actors {
  role: Role[];
  community: number[];
  /** Group (scheme or lookalike operation) the actor was created for; -1 for background. */
  group: number[];
  /** First activity ever (unix ms); inside the window for fresh wallets. */
  createdAt: number[];
  /** Last activity before a long sleep that ended in the window; NaN when never dormant. */
  dormantSince: number[];
  /** The owner's local-time offset in hours, which shapes when their transactions happen. */
  tz: number[];
}

/** Transactions as parallel arrays: index = transaction id. */
export interface TxLog {
  from: number[];
  to: number[];
  usd: number[];
  at: number[];
  asset: number[];
}

export interface Group {
  kind: string;
  illicit: boolean;
  members: number[];
}

export interface World {
  start: number;
  end: number;
  days: number;
  decimals: 0 | 2 | 6;
  assets: readonly string[];
  /** USD per native coin: mixer pools take fixed native denominations. */
  nativePriceUsd: number;
  actors: Actors;
  tx: TxLog;
  groups: Group[];
  exchanges: number[];
  exchangeWeight: number[];
  dexes: number[];
  mixers: number[];
  bridges: number[];
  retail: number[];
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export function assetsFor(network: string): readonly string[] {
  if (network.includes('bitcoin') || network === 'btc') return ['BTC'];
  if (network.includes('tron')) return ['TRX', 'USDT', 'USDC'];
  if (network.includes('torus')) return ['TORUS', 'USDT'];
  return ['ETH', 'USDC', 'USDT', 'DAI', 'WBTC'];
}

export function emptyWorld(
  date: string,
  windowDays: number,
  decimals: 0 | 2 | 6,
  network: string,
  rng: Rng,
): World {
  const end = Date.parse(`${date}T00:00:00Z`) + DAY_MS - 1;
  return {
    start: end + 1 - windowDays * DAY_MS,
    end,
    days: windowDays,
    decimals,
    assets: assetsFor(network),
    nativePriceUsd: Math.round(rng.between(1400, 3900)),
    actors: { role: [], community: [], group: [], createdAt: [], dormantSince: [], tz: [] },
    tx: { from: [], to: [], usd: [], at: [], asset: [] },
    groups: [],
    exchanges: [],
    exchangeWeight: [],
    dexes: [],
    mixers: [],
    bridges: [],
    retail: [],
  };
}

export interface ActorInit {
  community?: number;
  group?: number;
  createdAt?: number;
  dormantSince?: number;
  tz?: number;
}

export function addActor(world: World, role: Role, init: ActorInit = {}): number {
  const a = world.actors;
  const id = a.role.length;
  a.role.push(role);
  a.community.push(init.community ?? -1);
  a.group.push(init.group ?? -1);
  // Unless told otherwise a wallet predates the window by a month.
  a.createdAt.push(init.createdAt ?? world.start - 30 * DAY_MS);
  a.dormantSince.push(init.dormantSince ?? Number.NaN);
  a.tz.push(init.tz ?? 0);
  return id;
}

export function addGroup(world: World, kind: string, illicit: boolean): number {
  world.groups.push({ kind, illicit, members: [] });
  return world.groups.length - 1;
}

/** A fresh wallet of a group: created at its first transaction, which happens in the window. */
export function addMember(world: World, group: number, role: Role, firstSeen: number, tz = 0): number {
  const id = addActor(world, role, { group, createdAt: clampTime(world, firstSeen), tz });
  world.groups[group].members.push(id);
  return id;
}

export function clampTime(world: World, t: number): number {
  return Math.min(world.end, Math.max(world.start, Math.round(t)));
}

/** Records a transfer; amounts are rounded to the style's decimals (at least one unit). */
export function addTx(world: World, from: number, to: number, usd: number, at: number, asset = 0): number {
  const unit = 10 ** -world.decimals;
  const tx = world.tx;
  tx.from.push(from);
  tx.to.push(to);
  tx.usd.push(Math.max(unit, roundUsd(usd, world.decimals)));
  tx.at.push(clampTime(world, at));
  tx.asset.push(asset);
  return tx.usd[tx.usd.length - 1];
}

/** A time on `day` (0-based in the window) at an hour that suits the owner's local day. */
export function localTime(world: World, rng: Rng, day: number, tz: number, nightOwl = false): number {
  const local = nightOwl ? rng.between(0, 24) : rng.chance(0.82) ? 15 + 4 * rng.normal() : rng.between(0, 24);
  const hour = (((local - tz) % 24) + 24) % 24;
  return world.start + day * DAY_MS + hour * HOUR_MS + rng.int(60) * MINUTE_MS + rng.int(60_000);
}

/** A random moment in the window leaving `room` ms after it. */
export function momentWithRoom(world: World, rng: Rng, room: number): number {
  const span = Math.max(0, world.end - world.start - room);
  return world.start + rng.next() * span;
}

export function pickExchange(world: World, rng: Rng): number {
  return world.exchanges[rng.weighted(world.exchangeWeight)];
}

export function assetIndex(world: World, rng: Rng, stableShare = 0.45): number {
  if (world.assets.length === 1) return 0;
  if (rng.chance(stableShare)) return 1 + rng.int(Math.min(3, world.assets.length - 1));
  return rng.chance(0.9) ? 0 : world.assets.length - 1;
}
