/**
 * Benign traffic: the everyday economy of retail users, exchanges, merchants, whales, contracts,
 * mixers and bridges, plus the benign behaviours that look like laundering (the hard negatives).
 * How many mimics exist grows with difficulty.
 */

import { WeightedSampler } from '../random.js';
import { KIND, MIMIC } from './population.js';
import {
  clampTs,
  DAY_MS,
  diurnalTs,
  HOUR_MS,
  randomAsset,
  randomContract,
  randomExchange,
  randomMerchant,
  randomRetail,
  startTs,
  type World,
  zipfWeights,
} from './world.js';

const LN = Math.log;

function retailTraffic(w: World, a: number): void {
  const { rng, store } = w;
  const n = Math.max(1, rng.poisson(rng.lognormal(LN(3), 0.8)));
  for (let k = 0; k < n; k++) {
    const ts = diurnalTs(w);
    const r = rng.next();
    if (r < 0.42) {
      const ex = randomExchange(w);
      const amt = rng.lognormal(LN(180), 1.25);
      if (rng.bool(0.55)) store.add(ex, a, amt, ts, randomAsset(w));
      else store.add(a, ex, amt, ts, randomAsset(w));
    } else if (r < 0.64) {
      store.add(a, randomMerchant(w), rng.lognormal(LN(45), 0.9), ts, rng.bool(0.6) ? 1 : 2);
    } else if (r < 0.88) {
      store.add(a, randomRetail(w), rng.lognormal(LN(90), 1.1), ts, randomAsset(w));
    } else if (r < 0.97) {
      const c = randomContract(w);
      const amt = rng.lognormal(LN(250), 1.2);
      store.add(a, c, amt, ts, randomAsset(w));
      // contracts pay back (swaps, withdrawals): benign reciprocity
      if (rng.bool(0.6))
        store.add(
          c,
          a,
          amt * rng.uniform(0.9, 1.05),
          clampTs(w, ts + rng.exponential(1 / 600_000)),
          randomAsset(w),
        );
    } else {
      const b = rng.choice(w.bridges);
      store.add(a, b, rng.lognormal(LN(900), 1.0), ts, randomAsset(w));
    }
  }
}

function whaleTraffic(w: World, a: number): void {
  const { rng, store } = w;
  const n = 2 + rng.poisson(10);
  for (let k = 0; k < n; k++) {
    const ts = diurnalTs(w);
    const amt = rng.lognormal(LN(60_000), 1.0);
    const r = rng.next();
    const cp =
      r < 0.6
        ? randomExchange(w)
        : r < 0.8
          ? rng.choice(w.bridges)
          : r < 0.9
            ? randomContract(w)
            : rng.choice(w.whales);
    if (rng.bool(0.5)) store.add(a, cp, amt, ts, randomAsset(w));
    else store.add(cp, a, amt, ts, randomAsset(w));
  }
}

function hubTraffic(w: World): void {
  const { rng, store } = w;
  // exchange hot-wallet rebalancing and inter-exchange settlement
  for (const ex of w.exchanges) {
    const n = rng.poisson(25);
    for (let k = 0; k < n; k++) {
      store.add(ex, randomExchange(w), rng.lognormal(LN(250_000), 1.1), diurnalTs(w), randomAsset(w));
    }
  }
  // merchants settle their takings to exchanges
  for (const m of w.merchants) {
    const n = 1 + rng.poisson(3);
    for (let k = 0; k < n; k++)
      store.add(m, randomExchange(w), rng.lognormal(LN(6_000), 1.0), diurnalTs(w), 1);
  }
  // bridges route value in and out of exchanges
  for (const b of w.bridges) {
    const n = 10 + rng.poisson(30);
    for (let k = 0; k < n; k++) {
      const ex = randomExchange(w);
      const amt = rng.lognormal(LN(40_000), 1.3);
      if (rng.bool(0.5)) store.add(b, ex, amt, diurnalTs(w), randomAsset(w));
      else store.add(ex, b, amt, diurnalTs(w), randomAsset(w));
    }
  }
  // mixers pay out to anonymous withdrawers and to exchanges
  for (const mx of w.mixers) {
    const n = 20 + rng.poisson(40);
    for (let k = 0; k < n; k++) {
      const to = rng.bool(0.4) ? randomExchange(w) : randomRetail(w);
      store.add(mx, to, denomination(w), diurnalTs(w), 0);
    }
  }
}

/** Mixers work in fixed denominations, slightly perturbed by fees. */
export function denomination(w: World): number {
  const d = w.rng.choice([100, 1_000, 10_000, 100_000]);
  return d * w.rng.uniform(0.99, 1.0);
}

/** Hard negatives: benign behaviours that trip the detectors. Counts scale with difficulty. */
function plantMimics(w: World, targetAlerts: number): void {
  const { rng, store, pop, difficulty } = w;
  const scale = Math.max(1, targetAlerts) * (0.04 + 0.16 * difficulty);
  const mark = (a: number, m: number) => {
    if (pop.mimic[a] === MIMIC.none) pop.mimic[a] = m;
  };
  // payroll: a merchant pays many retail users in one burst
  for (let i = 0, n = Math.ceil(scale * 0.2); i < n; i++) {
    const m = randomMerchant(w);
    mark(m, MIMIC.payroll);
    const t0 = startTs(w, 6 * HOUR_MS);
    const k = rng.int(8, 45);
    const pay = rng.lognormal(LN(1_800), 0.4);
    for (let j = 0; j < k; j++)
      store.add(m, randomRetail(w), pay * rng.uniform(0.8, 1.25), t0 + rng.int(0, 3 * HOUR_MS), 1);
  }
  // a business depositing cash takings just under the reporting threshold
  for (let i = 0, n = Math.ceil(scale * 0.2); i < n; i++) {
    const a = randomRetail(w);
    mark(a, MIMIC.business_deposits);
    const ex = randomExchange(w);
    const k = rng.int(4, 12);
    for (let j = 0; j < k; j++) store.add(a, ex, rng.uniform(8_200, 9_990), diurnalTs(w), 1);
    store.add(randomExchange(w), a, rng.lognormal(LN(30_000), 0.5), diurnalTs(w), 1);
  }
  // self-custody: a user hops funds through fresh wallets of their own
  for (let i = 0, n = Math.ceil(scale * 0.25); i < n; i++) {
    const len = rng.int(2, 5);
    let cur = randomExchange(w);
    let amt = rng.lognormal(LN(8_000), 1.0);
    let t = startTs(w, len * 6 * HOUR_MS);
    for (let j = 0; j < len; j++) {
      const next = pop.add(KIND.retail, rng.uniform(-2, (t - w.windowStart) / DAY_MS));
      mark(next, MIMIC.self_custody_hops);
      store.add(cur, next, amt, t, 0);
      cur = next;
      amt *= rng.uniform(0.995, 0.9999);
      t = clampTs(w, t + rng.exponential(1 / (2 * HOUR_MS)));
    }
    store.add(cur, randomExchange(w), amt, t, 0);
  }
  // privacy users: ordinary funds through a mixer
  for (let i = 0, n = Math.ceil(scale * 0.2); i < n; i++) {
    const a = randomRetail(w);
    mark(a, MIMIC.privacy_user);
    const mx = rng.choice(w.mixers);
    store.add(a, mx, denomination(w), diurnalTs(w), 0);
    if (rng.bool(0.5)) store.add(mx, a, denomination(w), diurnalTs(w), 0);
  }
  // donation / crowdfunding hubs: many small gifts in a burst
  for (let i = 0, n = Math.ceil(scale * 0.1); i < n; i++) {
    const hub = pop.add(KIND.retail, rng.uniform(-60, 0));
    mark(hub, MIMIC.donation_hub);
    const t0 = startTs(w, DAY_MS);
    const k = rng.int(10, 60);
    for (let j = 0; j < k; j++)
      store.add(randomRetail(w), hub, rng.lognormal(LN(60), 0.9), t0 + rng.int(0, 20 * HOUR_MS), 1);
    store.add(hub, randomExchange(w), k * 50, clampTs(w, t0 + DAY_MS), 1);
  }
  // arbitrage bots cycling funds through contracts and back
  for (let i = 0, n = Math.ceil(scale * 0.05); i < n; i++) {
    const bot = pop.add(KIND.retail, rng.uniform(-200, 0));
    mark(bot, MIMIC.arbitrage_loop);
    const c1 = randomContract(w);
    const c2 = randomContract(w);
    const rounds = rng.int(2, 8);
    for (let j = 0; j < rounds; j++) {
      const t = diurnalTs(w);
      const amt = rng.lognormal(LN(20_000), 0.3);
      store.add(bot, c1, amt, t, 1);
      store.add(c1, c2, amt, clampTs(w, t + 12_000), 1);
      store.add(c2, bot, amt * rng.uniform(0.998, 1.004), clampTs(w, t + 24_000), 1);
    }
  }
}

/** Creates the benign population for about `targetAlerts` alerts and simulates its window. */
export function simulateBenign(w: World, targetAlerts: number, retailPerAlert = 3.5): void {
  const { rng, pop } = w;
  const retailCount = Math.max(300, Math.round(targetAlerts * retailPerAlert));
  const born = () => rng.uniform(-720, 0);
  w.retailLo = pop.length;
  for (let i = 0; i < retailCount; i++) {
    // a share of retail users are new this window
    pop.add(KIND.retail, rng.bool(0.12) ? rng.uniform(0, w.windowDays) : born());
  }
  w.retailHi = pop.length;
  const count = (frac: number, min: number) => Math.max(min, Math.round(retailCount * frac));
  for (let i = 0, n = count(0.0004, 4); i < n; i++) w.exchanges.push(pop.add(KIND.exchange, born()));
  for (let i = 0, n = count(0.03, 8); i < n; i++) w.merchants.push(pop.add(KIND.merchant, born()));
  for (let i = 0, n = count(0.006, 3); i < n; i++) w.whales.push(pop.add(KIND.whale, born()));
  for (let i = 0, n = count(0.003, 4); i < n; i++) w.contracts.push(pop.add(KIND.contract, born()));
  for (let i = 0, n = count(0.00003, 2); i < n; i++) w.mixers.push(pop.add(KIND.mixer, born()));
  for (let i = 0, n = count(0.00005, 2); i < n; i++) w.bridges.push(pop.add(KIND.bridge, born()));
  initSamplers(w);

  w.store.scale = w.amountScale;
  for (let a = w.retailLo; a < w.retailHi; a++) retailTraffic(w, a);
  for (const a of w.whales) whaleTraffic(w, a);
  hubTraffic(w);
  w.store.scale = 1;
  plantMimics(w, targetAlerts);
}

function initSamplers(w: World): void {
  w.exchangeSampler = makeSampler(w.exchanges.length, 1.1);
  w.merchantSampler = makeSampler(w.merchants.length, 0.9);
  w.contractSampler = makeSampler(w.contracts.length, 1.0);
}

function makeSampler(n: number, exponent: number): WeightedSampler {
  return new WeightedSampler(zipfWeights(n, exponent));
}
