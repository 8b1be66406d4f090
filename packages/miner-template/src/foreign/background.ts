/**
 * Ordinary chain life the schemes hide in: communities of retail wallets and a few whales who pay
 * each other (picked through a Polya urn, so popular wallets get more popular), deposit to and
 * withdraw from exchanges, and swap on DEX contracts; exchanges rebalance among themselves. Sized
 * from the alert target so that small batches still have counterparties and big ones stay fast.
 */
import type { Rng } from './rng.js';
import {
  addActor,
  addTx,
  assetIndex,
  DAY_MS,
  localTime,
  MINUTE_MS,
  pickExchange,
  type World,
} from './world.js';

export interface PopulationPlan {
  backgroundWallets: number;
  exchanges: number;
  dexes: number;
  mixers: number;
  bridges: number;
}

export function planPopulation(alerts: number, scale: number): PopulationPlan {
  return {
    backgroundWallets: Math.round((0.9 * alerts + 80) * scale),
    exchanges: Math.max(3, Math.round(Math.sqrt(alerts) / 3)),
    dexes: Math.max(2, Math.round(alerts / 600)),
    mixers: alerts > 12_000 ? 3 : alerts > 2_500 ? 2 : 1,
    bridges: alerts > 5_000 ? 2 : 1,
  };
}

interface Wallet {
  id: number;
  mu: number;
  days: number[];
  tz: number;
}

function createInfrastructure(world: World, rng: Rng, plan: PopulationPlan): void {
  const old = (): number => world.start - Math.round(rng.between(400, 2500)) * DAY_MS;
  for (let i = 0; i < plan.exchanges; i++) {
    world.exchanges.push(addActor(world, 'exchange', { createdAt: old() }));
    world.exchangeWeight.push(1 / (i + 1) ** 0.9);
  }
  for (let i = 0; i < plan.dexes; i++) world.dexes.push(addActor(world, 'dex', { createdAt: old() }));
  for (let i = 0; i < plan.mixers; i++) world.mixers.push(addActor(world, 'mixer', { createdAt: old() }));
  for (let i = 0; i < plan.bridges; i++) world.bridges.push(addActor(world, 'bridge', { createdAt: old() }));
}

function activeDays(world: World, rng: Rng, firstDay: number): number[] {
  const available = world.days - firstDay;
  const count = Math.max(1, Math.min(available, 1 + Math.floor(available * rng.next() ** 1.6)));
  const days = new Set<number>();
  while (days.size < count) days.add(firstDay + rng.int(available));
  return [...days].sort((a, b) => a - b);
}

function createCommunities(
  world: World,
  rng: Rng,
  target: number,
): { wallets: Wallet[]; communities: number[][] } {
  const wallets: Wallet[] = [];
  const communities: number[][] = [];
  while (wallets.length < target) {
    const size = Math.min(
      target - wallets.length,
      Math.max(5, Math.min(600, Math.round(rng.logNormal(3.8, 0.8)))),
    );
    const community = communities.length;
    const tz = rng.int(18) - 8;
    const members: number[] = [];
    for (let k = 0; k < size; k++) {
      const whale = rng.chance(0.03);
      // A few wallets are born inside the window.
      const firstDay = rng.chance(0.07) ? rng.int(world.days) : 0;
      const createdAt =
        firstDay > 0
          ? world.start + firstDay * DAY_MS
          : world.start - Math.round(rng.logNormal(Math.log(220), 1.1) * DAY_MS) - DAY_MS;
      const id = addActor(world, whale ? 'whale' : 'retail', { community, createdAt, tz });
      members.push(id);
      world.retail.push(id);
      wallets.push({
        id,
        mu: whale ? Math.log(30_000) + 0.8 * rng.normal() : Math.log(160) + 1.05 * rng.normal(),
        days: activeDays(world, rng, firstDay),
        tz,
      });
    }
    communities.push(members);
  }
  return { wallets, communities };
}

/** Background transfers; returns nothing, appends to world.tx. */
export function simulateBackground(world: World, rng: Rng, plan: PopulationPlan): void {
  createInfrastructure(world, rng, plan);
  const { wallets, communities } = createCommunities(world, rng, plan.backgroundWallets);
  const byId = new Map<number, Wallet>();
  for (const w of wallets) byId.set(w.id, w);

  // Urns start with every member once; each pick adds a ball, which is preferential attachment.
  const communityUrns = communities.map((members) => [...members]);
  const globalUrn = wallets.map((w) => w.id);

  const events: number[] = [];
  for (const w of wallets) {
    const count = rng.chance(0.1) ? 1 : Math.min(80, rng.countWithMean(rng.logNormal(Math.log(5), 0.7)));
    for (let k = 0; k < count; k++) events.push(w.id);
  }
  rng.shuffle(events);

  for (const id of events) {
    const w = byId.get(id)!;
    const day = rng.pick(w.days);
    const at = localTime(world, rng, day, w.tz);
    const amount = rng.logNormal(w.mu, 0.85);
    const kind = rng.next();
    if (kind < 0.34) {
      const exchange = pickExchange(world, rng);
      if (rng.chance(0.5)) addTx(world, id, exchange, amount, at, assetIndex(world, rng));
      else addTx(world, exchange, id, amount, at, assetIndex(world, rng));
    } else if (kind < 0.46) {
      const dex = rng.pick(world.dexes);
      const sent = addTx(world, id, dex, amount, at, 0);
      addTx(
        world,
        dex,
        id,
        sent * rng.between(0.985, 0.998),
        at + rng.between(12, 90) * 1000,
        assetIndex(world, rng, 1),
      );
    } else if (kind < 0.48) {
      const bridge = rng.pick(world.bridges);
      addTx(world, id, bridge, amount * 3, at, assetIndex(world, rng));
    } else {
      const community = world.actors.community[id];
      const urn = rng.chance(0.86) ? communityUrns[community] : globalUrn;
      let peer = rng.pick(urn);
      if (peer === id) peer = rng.pick(globalUrn);
      if (peer === id) continue;
      urn.push(peer);
      const outgoing = rng.chance(0.5);
      const asset = assetIndex(world, rng, 0.55);
      if (outgoing) addTx(world, id, peer, amount, at, asset);
      else addTx(world, peer, id, rng.logNormal(byId.get(peer)!.mu, 0.85), at, asset);
    }
  }

  // Exchanges rebalance hot wallets and provide DEX liquidity: big, few, round-the-clock.
  const rebalances = world.exchanges.length * world.days * 2;
  for (let k = 0; k < rebalances; k++) {
    const a = pickExchange(world, rng);
    const at = world.start + rng.next() * (world.end - world.start);
    if (rng.chance(0.75)) {
      const b = pickExchange(world, rng);
      if (b !== a) addTx(world, a, b, rng.logNormal(Math.log(350_000), 0.9), at, assetIndex(world, rng));
    } else {
      const dex = rng.pick(world.dexes);
      const sent = addTx(world, a, dex, rng.logNormal(Math.log(120_000), 0.7), at, 0);
      addTx(world, dex, a, sent * rng.between(0.99, 0.999), at + rng.between(1, 5) * MINUTE_MS, 1);
    }
  }
}
