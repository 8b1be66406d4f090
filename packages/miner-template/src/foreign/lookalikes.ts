/**
 * Benign wallets that look suspicious to simple rules: exchange deposit addresses (fast pass-through),
 * payroll and airdrop distributors (fan-out), merchants and OTC desks (fan-in, big value), MEV bots
 * (loops with DEX contracts), invoice payers just under thresholds, privacy-pool users, and long
 * dormant holders waking up. They are where the false-positive alerts come from.
 */
import type { Rng } from './rng.js';
import {
  addActor,
  addGroup,
  addMember,
  addTx,
  assetIndex,
  DAY_MS,
  HOUR_MS,
  localTime,
  MINUTE_MS,
  momentWithRoom,
  pickExchange,
  type World,
} from './world.js';

function depositAddress(world: World, rng: Rng): number {
  const group = addGroup(world, 'deposit_address', false);
  const t0 = momentWithRoom(world, rng, 2 * HOUR_MS);
  const wallet = addMember(world, group, 'deposit_address', t0);
  // Most deposit addresses are reused; only a few are new this week.
  if (rng.chance(0.7)) world.actors.createdAt[wallet] = world.start - rng.between(10, 700) * DAY_MS;
  const exchange = pickExchange(world, rng);
  const owner = rng.pick(world.retail);
  const deposits = 1 + rng.int(6);
  for (let k = 0; k < deposits; k++) {
    const at = k === 0 ? t0 : momentWithRoom(world, rng, 2 * HOUR_MS);
    const payer = rng.chance(0.7) ? owner : rng.pick(world.retail);
    const got = addTx(world, payer, wallet, rng.logNormal(Math.log(1_500), 1.2), at, assetIndex(world, rng));
    addTx(world, wallet, exchange, got, at + rng.between(3, 95) * MINUTE_MS, 0);
  }
  return 1;
}

function payroll(world: World, rng: Rng): number {
  const group = addGroup(world, 'payroll', false);
  const employer = addActor(world, 'payroll', {
    group,
    createdAt: world.start - rng.between(90, 1500) * DAY_MS,
  });
  world.groups[group].members.push(employer);
  const staff = 10 + rng.int(50);
  const salary = rng.logNormal(Math.log(4_200), 0.3);
  const paydays = rng.chance(0.3) ? 2 : 1;
  addTx(world, pickExchange(world, rng), employer, staff * salary * paydays * 1.02, world.start + HOUR_MS, 1);
  for (let p = 0; p < paydays; p++) {
    const at = momentWithRoom(world, rng, 2 * HOUR_MS);
    for (let s = 0; s < staff; s++) {
      const pay = Math.round((salary * rng.between(0.8, 1.3)) / 50) * 50;
      addTx(world, employer, rng.pick(world.retail), pay, at + s * rng.between(5, 40) * 1000, 1);
    }
  }
  return 1;
}

function arbitrageBot(world: World, rng: Rng): number {
  const group = addGroup(world, 'arb_bot', false);
  const bot = addActor(world, 'arb_bot', { group, createdAt: world.start - rng.between(5, 300) * DAY_MS });
  world.groups[group].members.push(bot);
  const trades = 15 + rng.int(120);
  const size = rng.logNormal(Math.log(25_000), 0.9);
  for (let k = 0; k < trades; k++) {
    const at = momentWithRoom(world, rng, MINUTE_MS);
    const venue = rng.pick(world.dexes);
    const sent = addTx(world, bot, venue, size * rng.between(0.5, 1.5), at, rng.int(world.assets.length));
    addTx(
      world,
      venue,
      bot,
      sent * rng.between(1.0003, 1.004),
      at + rng.between(1, 30) * 1000,
      rng.int(world.assets.length),
    );
  }
  if (rng.chance(0.5))
    addTx(world, bot, pickExchange(world, rng), size * 2, momentWithRoom(world, rng, 0), 1);
  return 1;
}

function invoicePayer(world: World, rng: Rng): number {
  const group = addGroup(world, 'invoice_payer', false);
  const firm = addActor(world, 'invoice_payer', {
    group,
    createdAt: world.start - rng.between(200, 2000) * DAY_MS,
  });
  world.groups[group].members.push(firm);
  const ceiling = rng.pick([10_000, 3_000, 5_000]);
  const invoices = 3 + rng.int(8);
  for (let k = 0; k < invoices; k++) {
    const day = rng.int(world.days);
    addTx(
      world,
      firm,
      rng.pick(world.retail),
      ceiling * rng.between(0.84, 0.999),
      localTime(world, rng, day, 2),
      1,
    );
  }
  for (let k = 0; k < 4 + rng.int(10); k++) {
    addTx(
      world,
      rng.pick(world.retail),
      firm,
      rng.logNormal(Math.log(4_000), 0.9),
      localTime(world, rng, rng.int(world.days), 2),
      1,
    );
  }
  return 1;
}

function privacyUser(world: World, rng: Rng): number {
  const group = addGroup(world, 'privacy_user', false);
  const mixer = rng.pick(world.mixers);
  const t0 = momentWithRoom(world, rng, 3 * DAY_MS);
  const user = addActor(world, 'privacy_user', {
    group,
    createdAt: world.start - rng.between(30, 900) * DAY_MS,
  });
  world.groups[group].members.push(user);
  const note = rng.pick([0.1, 1, 10]) * world.nativePriceUsd;
  addTx(world, pickExchange(world, rng), user, note * 1.2, t0 - HOUR_MS, 0);
  addTx(world, user, mixer, note, t0, 0);
  const fresh = addMember(world, group, 'privacy_user', t0 + rng.between(24, 70) * HOUR_MS);
  const got = addTx(world, mixer, fresh, note * 0.997, world.actors.createdAt[fresh], 0);
  const dex = rng.pick(world.dexes);
  addTx(world, fresh, dex, got * 0.5, world.actors.createdAt[fresh] + rng.between(1, 48) * HOUR_MS, 0);
  return 2;
}

function dormantHolder(world: World, rng: Rng): number {
  const group = addGroup(world, 'dormant_holder', false);
  const slept = world.start - rng.between(150, 1800) * DAY_MS;
  const holder = addActor(world, 'dormant_holder', {
    group,
    createdAt: slept - rng.between(30, 900) * DAY_MS,
    dormantSince: slept,
  });
  world.groups[group].members.push(holder);
  const moves = 1 + rng.int(4);
  const stash = rng.logNormal(Math.log(180_000), 1.1);
  for (let k = 0; k < moves; k++) {
    const to = rng.chance(0.7) ? pickExchange(world, rng) : rng.pick(world.retail);
    addTx(world, holder, to, stash / moves, momentWithRoom(world, rng, 0), assetIndex(world, rng, 0.2));
  }
  return 1;
}

function otcDesk(world: World, rng: Rng): number {
  const group = addGroup(world, 'otc_desk', false);
  const desk = addActor(world, 'otc_desk', {
    group,
    createdAt: world.start - rng.between(100, 1500) * DAY_MS,
  });
  world.groups[group].members.push(desk);
  const clients = 6 + rng.int(25);
  for (let c = 0; c < clients; c++) {
    const client = rng.pick(world.retail);
    const size = rng.logNormal(Math.log(60_000), 1);
    const at = momentWithRoom(world, rng, HOUR_MS);
    addTx(world, client, desk, size, at, 1);
    addTx(
      world,
      desk,
      rng.chance(0.6) ? client : pickExchange(world, rng),
      size * 0.995,
      at + rng.between(5, 50) * MINUTE_MS,
      0,
    );
  }
  return 1;
}

function airdropFarm(world: World, rng: Rng): number {
  const group = addGroup(world, 'airdrop_farm', false);
  const master = addActor(world, 'farm_master', {
    group,
    createdAt: world.start - rng.between(20, 400) * DAY_MS,
  });
  world.groups[group].members.push(master);
  const wallets = 10 + rng.int(30);
  const gas = rng.pick([25, 50, 100]);
  const dex = rng.pick(world.dexes);
  addTx(world, pickExchange(world, rng), master, wallets * gas * 1.1, world.start + rng.next() * DAY_MS, 0);
  const t0 = momentWithRoom(world, rng, 3 * DAY_MS);
  for (let w = 0; w < wallets; w++) {
    const at = t0 + w * rng.between(1, 6) * MINUTE_MS;
    const wallet = addMember(world, group, 'farm_wallet', at);
    addTx(world, master, wallet, gas, at, 0);
    addTx(world, wallet, dex, gas * 0.4, at + rng.between(1, 30) * HOUR_MS, 0);
    addTx(world, wallet, master, gas * 0.55, at + rng.between(31, 60) * HOUR_MS, 0);
  }
  return 1 + Math.round(wallets * 0.1);
}

function merchant(world: World, rng: Rng): number {
  const group = addGroup(world, 'merchant', false);
  const shop = addActor(world, 'merchant', {
    group,
    createdAt: world.start - rng.between(60, 1500) * DAY_MS,
  });
  world.groups[group].members.push(shop);
  const sales = 10 + rng.int(60);
  const ticket = rng.logNormal(Math.log(70), 0.7);
  let till = 0;
  for (let k = 0; k < sales; k++) {
    const day = rng.int(world.days);
    till += addTx(
      world,
      rng.pick(world.retail),
      shop,
      ticket * rng.logNormal(0, 0.5),
      localTime(world, rng, day, 1),
      2 % world.assets.length,
    );
  }
  const sweeps = 1 + rng.int(world.days);
  for (let k = 0; k < sweeps; k++)
    addTx(
      world,
      shop,
      pickExchange(world, rng),
      till / sweeps,
      world.start + ((k + 1) * (world.end - world.start)) / (sweeps + 1),
      2 % world.assets.length,
    );
  return 1;
}

const MAKERS = [
  depositAddress,
  payroll,
  arbitrageBot,
  invoicePayer,
  privacyUser,
  dormantHolder,
  otcDesk,
  airdropFarm,
  merchant,
];
const MAKER_WEIGHTS = [0.26, 0.08, 0.1, 0.12, 0.1, 0.09, 0.07, 0.06, 0.12];

/** Adds lookalike operations until about `alertable` benign suspicious wallets exist. */
export function addLookalikes(world: World, rng: Rng, alertable: number): void {
  let made = 0;
  while (made < alertable) made += MAKERS[rng.weighted(MAKER_WEIGHTS)](world, rng.fork('lookalike'));
}
