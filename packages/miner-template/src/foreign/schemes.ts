/**
 * Laundering schemes of the foreign producer's own design, planted into the background world as
 * fresh wallets and transfers: threshold smurfing into a collector, fast relay chains that peel,
 * mixer rings with fixed denominations, value loops, scam collectors and theft dispersal. Each
 * planter returns how many of its wallets a detector can plausibly see, so the caller can plant
 * until the positive side of the alert pool is full.
 */
import type { Rng } from './rng.js';
import {
  addGroup,
  addMember,
  addTx,
  assetIndex,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  momentWithRoom,
  pickExchange,
  type World,
} from './world.js';

/** Reporting thresholds the smurfs stay under; the detectors know a slightly different list. */
const SMURF_THRESHOLDS = [10_000, 10_000, 3_000, 15_000, 5_000];
const MIXER_DENOMINATIONS = [0.1, 1, 10, 100];

function exitTo(world: World, rng: Rng): number {
  return rng.chance(0.8) ? pickExchange(world, rng) : rng.pick(world.bridges);
}

function smurfing(world: World, rng: Rng): number {
  const group = addGroup(world, 'smurfing', true);
  const threshold = rng.pick(SMURF_THRESHOLDS);
  const mules = 4 + rng.int(9);
  const depositsPerMule = 2 + rng.int(5);
  const t0 = momentWithRoom(world, rng, 2 * DAY_MS);
  const span = world.end - t0 - 12 * HOUR_MS;
  const placer = addMember(world, group, 'placer', t0);
  const collector = addMember(world, group, 'collector', t0 + HOUR_MS);
  const funding = mules * depositsPerMule * threshold * 0.95;
  const parts = 2 + rng.int(3);
  for (let k = 0; k < parts; k++)
    addTx(world, pickExchange(world, rng), placer, funding / parts, t0 + k * 7 * MINUTE_MS, 1);
  let collected = 0;
  for (let m = 0; m < mules; m++) {
    const mule = addMember(world, group, 'mule', t0 + HOUR_MS + rng.next() * 0.3 * span);
    for (let d = 0; d < depositsPerMule; d++) {
      const at = world.actors.createdAt[mule] + rng.next() * 0.6 * span;
      const amount = addTx(world, placer, mule, threshold * rng.between(0.86, 0.995), at, 1);
      collected += addTx(
        world,
        mule,
        collector,
        amount * rng.between(0.97, 0.996),
        at + rng.between(0.4, 20) * HOUR_MS,
        1,
      );
    }
    // Some mules keep a little cover traffic with ordinary wallets.
    if (rng.chance(0.4))
      addTx(world, mule, rng.pick(world.retail), rng.between(20, 300), world.end - rng.next() * span, 0);
  }
  const sweeps = 2 + rng.int(4);
  for (let k = 0; k < sweeps; k++) {
    addTx(
      world,
      collector,
      exitTo(world, rng),
      (collected * 0.995) / sweeps,
      world.end - rng.next() * 10 * HOUR_MS,
      1,
    );
  }
  return mules + 2;
}

/** Victims pay a theft wallet, which relays the loot through fresh hops, peeling at some of them. */
function relayChain(world: World, rng: Rng): number {
  const group = addGroup(world, 'relay', true);
  const hops = 3 + rng.int(7);
  const victims = rng.chance(0.3) ? 1 : 3 + rng.int(18);
  const t0 = momentWithRoom(world, rng, (hops * 2 + 30) * HOUR_MS);
  const origin = addMember(world, group, 'theft_origin', t0, rng.int(24) - 12);
  let loot = 0;
  for (let v = 0; v < victims; v++) {
    const victim = victims === 1 ? rng.pick(world.dexes) : rng.pick(world.retail);
    const amount =
      victims === 1 ? rng.logNormal(Math.log(400_000), 0.8) : rng.logNormal(Math.log(6_000), 0.9);
    loot += addTx(world, victim, origin, amount, t0 + rng.next() * 20 * HOUR_MS, assetIndex(world, rng, 0.3));
  }
  let holder = origin;
  let at = t0 + 21 * HOUR_MS;
  let amount = loot * 0.999;
  const peels = rng.chance(0.5);
  for (let h = 0; h < hops; h++) {
    at += rng.between(5, 110) * MINUTE_MS;
    const hop = addMember(world, group, 'relay_hop', at);
    amount = addTx(world, holder, hop, amount, at, 0);
    if (peels && rng.chance(0.7)) {
      const sink = addMember(world, group, 'peel_sink', at + 2 * MINUTE_MS);
      const peel = addTx(
        world,
        hop,
        sink,
        amount * rng.between(0.01, 0.06),
        at + rng.between(2, 20) * MINUTE_MS,
        0,
      );
      amount -= peel;
      addTx(world, sink, pickExchange(world, rng), peel, at + rng.between(2, 30) * HOUR_MS, 0);
    }
    holder = hop;
  }
  const exits = 2 + rng.int(2);
  for (let k = 0; k < exits; k++)
    addTx(world, holder, exitTo(world, rng), (amount * 0.998) / exits, at + (k + 1) * 9 * MINUTE_MS, 0);
  return hops + 1;
}

function mixerRing(world: World, rng: Rng): number {
  const group = addGroup(world, 'mixer_ring', true);
  const mixer = rng.pick(world.mixers);
  const denomination = rng.pick(MIXER_DENOMINATIONS) * world.nativePriceUsd;
  const depositors = 3 + rng.int(8);
  const t0 = momentWithRoom(world, rng, 3 * DAY_MS);
  const funder = addMember(world, group, 'mix_funder', t0);
  let notes = 0;
  for (let d = 0; d < depositors; d++) {
    const at = t0 + rng.between(1, 24) * HOUR_MS;
    const depositor = addMember(world, group, 'mix_depositor', at);
    const count = 1 + rng.int(4);
    addTx(world, funder, depositor, denomination * count * 1.01, at, 0);
    for (let k = 0; k < count; k++)
      addTx(world, depositor, mixer, denomination, at + rng.between(0.2, 8) * HOUR_MS, 0);
    notes += count;
  }
  addTx(world, pickExchange(world, rng), funder, denomination * notes * 1.05, t0 - 10 * MINUTE_MS, 0);
  const recipients = Math.max(2, Math.round(notes * rng.between(0.4, 0.9)));
  for (let r = 0; r < recipients; r++) {
    const at = t0 + rng.between(30, 70) * HOUR_MS;
    const recipient = addMember(world, group, 'mix_recipient', at);
    const share = Math.max(1, Math.round(notes / recipients));
    const received = addTx(world, mixer, recipient, denomination * share * 0.997, at, 0);
    addTx(world, recipient, exitTo(world, rng), received * 0.998, at + rng.between(0.5, 30) * HOUR_MS, 0);
  }
  return depositors + recipients;
}

/** Value goes round a small ring several times to fake turnover, then leaves through an exchange. */
function valueLoop(world: World, rng: Rng): number {
  const group = addGroup(world, 'loop', true);
  const size = 3 + rng.int(3);
  const rounds = 2 + rng.int(4);
  const t0 = momentWithRoom(world, rng, (rounds * size * 3 + 4) * HOUR_MS);
  const members: number[] = [];
  for (let k = 0; k < size; k++) members.push(addMember(world, group, 'loop_member', t0 + k * MINUTE_MS));
  let amount = addTx(
    world,
    pickExchange(world, rng),
    members[0],
    rng.logNormal(Math.log(45_000), 0.8),
    t0,
    1,
  );
  let at = t0;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < size; k++) {
      at += rng.between(10, 180) * MINUTE_MS;
      amount = addTx(world, members[k], members[(k + 1) % size], amount * rng.between(0.985, 0.999), at, 1);
    }
  }
  for (const member of members) {
    if (rng.chance(0.5)) {
      const dex = rng.pick(world.dexes);
      const sent = addTx(
        world,
        member,
        dex,
        rng.logNormal(Math.log(900), 0.6),
        at - rng.next() * 20 * HOUR_MS,
        0,
      );
      addTx(world, dex, member, sent * 0.99, at - rng.next() * 19 * HOUR_MS, 1);
    }
  }
  addTx(world, members[0], pickExchange(world, rng), amount * 0.999, at + HOUR_MS, 1);
  return size;
}

function scamCollector(world: World, rng: Rng): number {
  const group = addGroup(world, 'scam', true);
  const victims = 8 + rng.int(33);
  const t0 = momentWithRoom(world, rng, 2 * DAY_MS);
  const span = world.end - t0 - 6 * HOUR_MS;
  const collector = addMember(world, group, 'scam_collector', t0);
  const consolidators = [addMember(world, group, 'consolidator', t0 + HOUR_MS)];
  if (rng.chance(0.5)) consolidators.push(addMember(world, group, 'consolidator', t0 + 2 * HOUR_MS));
  let batch = 0;
  for (let v = 0; v < victims; v++) {
    const at = t0 + (v / victims) * span;
    batch += addTx(
      world,
      rng.pick(world.retail),
      collector,
      rng.logNormal(Math.log(450), 1),
      at,
      assetIndex(world, rng),
    );
    if (batch > 3_000 || v === victims - 1) {
      const consolidator = rng.pick(consolidators);
      const moved = addTx(
        world,
        collector,
        consolidator,
        batch * 0.99,
        at + rng.between(0.5, 4) * HOUR_MS,
        1,
      );
      addTx(world, consolidator, exitTo(world, rng), moved, at + rng.between(4.5, 6) * HOUR_MS, 1);
      batch = 0;
    }
  }
  return 1 + consolidators.length;
}

/** A theft wallet spreads the loot over many drop wallets that each cash out within hours. */
function theftDispersal(world: World, rng: Rng): number {
  const group = addGroup(world, 'dispersal', true);
  const drops = 8 + rng.int(25);
  const t0 = momentWithRoom(world, rng, 40 * HOUR_MS);
  const origin = addMember(world, group, 'disperser', t0);
  const loot = addTx(
    world,
    rng.pick(world.dexes),
    origin,
    rng.logNormal(Math.log(drops * 9_000), 0.6),
    t0,
    0,
  );
  for (let d = 0; d < drops; d++) {
    const at = t0 + rng.between(0.2, 6) * HOUR_MS;
    const drop = addMember(world, group, 'drop_wallet', at);
    const got = addTx(world, origin, drop, (loot / drops) * rng.between(0.7, 1.3), at, 0);
    addTx(
      world,
      drop,
      exitTo(world, rng),
      got * rng.between(0.97, 0.999),
      at + rng.between(0.3, 30) * HOUR_MS,
      0,
    );
  }
  return drops + 1;
}

const PLANTERS = [smurfing, relayChain, mixerRing, valueLoop, scamCollector, theftDispersal];
const PLANTER_WEIGHTS = [0.24, 0.2, 0.16, 0.14, 0.12, 0.14];

/** Plants schemes until about `participants` alertable illicit wallets exist. */
export function plantSchemes(world: World, rng: Rng, participants: number): void {
  let planted = 0;
  while (planted < participants)
    planted += PLANTERS[rng.weighted(PLANTER_WEIGHTS)](world, rng.fork('scheme'));
}
