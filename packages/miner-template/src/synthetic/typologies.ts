/**
 * Planted laundering typologies: each instance is a small subgraph of fresh illicit addresses with
 * their own transactions, tied to the benign economy at its edges (victims, exchanges, mixers).
 * Roles: `core` addresses are the launderers (labelled high/critical), `peripheral` ones are mules
 * and peel recipients (mostly medium). Higher difficulty spreads the activity out in time and
 * blurs the amounts, so the subgraphs look more like benign traffic.
 */
import { KNOWN_TYPOLOGIES } from '../schemas/alert.js';
import { denomination } from './benign.js';
import { ROLE } from './population.js';
import {
  clampTs,
  DAY_MS,
  HOUR_MS,
  randomAsset,
  randomExchange,
  randomRetail,
  startTs,
  type World,
} from './world.js';

export const TYPOLOGIES = KNOWN_TYPOLOGIES;
export type Typology = (typeof TYPOLOGIES)[number];
export const TYPOLOGY_INDEX: Record<Typology, number> = Object.fromEntries(
  TYPOLOGIES.map((t, i) => [t, i]),
) as Record<Typology, number>;

/** The reporting threshold structuring stays under. */
export const STRUCTURING_THRESHOLD_USD = 10_000;

export interface PlantedInstance {
  id: number;
  typology: Typology;
  /** Address ids of the instance, core first. */
  addresses: number[];
}

const LN = Math.log;

class Planter {
  readonly addresses: number[] = [];
  constructor(
    readonly w: World,
    readonly typology: number,
    readonly instance: number,
  ) {}

  /** A new illicit address; most are freshly created for the scheme. */
  make(role: number, fresh = 0.8): number {
    const { rng } = this.w;
    const born = rng.bool(fresh) ? rng.uniform(-1, this.w.windowDays) : rng.uniform(-400, -1);
    const id = this.w.pop.addIllicit(this.typology, this.instance, role, born);
    this.addresses.push(id);
    return id;
  }

  /** Time spread of a burst: tight when blatant, loose when difficulty is high. */
  spread(baseHours: number): number {
    return baseHours * HOUR_MS * (1 + 8 * this.w.difficulty * this.w.rng.next());
  }

  tx(from: number, to: number, amount: number, ts: number, asset?: number): void {
    this.w.store.add(from, to, amount, clampTs(this.w, ts), asset ?? randomAsset(this.w));
  }
}

function fanIn(p: Planter): void {
  const { rng } = p.w;
  const hub = p.make(ROLE.core);
  const k = rng.int(6, 40);
  const span = p.spread(8);
  const t0 = startTs(p.w, span + DAY_MS);
  let total = 0;
  for (let j = 0; j < k; j++) {
    // scam victims pay directly, or mules relay the victims' money
    const amt = rng.lognormal(LN(600), 0.5 + 0.6 * p.w.difficulty);
    total += amt;
    const t = t0 + rng.next() * span;
    if (rng.bool(0.4)) {
      const mule = p.make(ROLE.peripheral);
      p.tx(randomRetail(p.w), mule, amt * 1.01, t - rng.int(60_000, 3 * HOUR_MS));
      p.tx(mule, hub, amt, t);
    } else p.tx(randomRetail(p.w), hub, amt, t);
  }
  const outs = rng.int(1, 3);
  for (let j = 0; j < outs; j++)
    p.tx(hub, randomExchange(p.w), (total * 0.98) / outs, t0 + span + rng.int(HOUR_MS, 12 * HOUR_MS));
}

function fanOut(p: Planter): void {
  const { rng } = p.w;
  const src = p.make(ROLE.core);
  const hub = p.make(ROLE.core);
  const k = rng.int(8, 40);
  const total = rng.lognormal(LN(120_000), 0.8);
  const span = p.spread(6);
  const t0 = startTs(p.w, span + 2 * DAY_MS);
  p.tx(rngFunding(p), src, total * 1.02, t0 - rng.int(HOUR_MS, DAY_MS));
  p.tx(src, hub, total, t0);
  for (let j = 0; j < k; j++) {
    const dest = p.make(ROLE.peripheral);
    const share = (total / k) * rng.uniform(0.7, 1.3);
    const t = t0 + HOUR_MS + rng.next() * span;
    p.tx(hub, dest, share, t);
    p.tx(dest, randomExchange(p.w), share * 0.995, t + rng.int(HOUR_MS, DAY_MS));
  }
}

/** Where dirty money enters: a hacked exchange, a bridge exploit, or a victim. */
function rngFunding(p: Planter): number {
  const r = p.w.rng.next();
  return r < 0.5 ? randomExchange(p.w) : r < 0.8 ? p.w.rng.choice(p.w.bridges) : randomRetail(p.w);
}

function layering(p: Planter): void {
  const { rng } = p.w;
  const len = rng.int(4, 10);
  let amt = rng.lognormal(LN(80_000), 0.9);
  let t = startTs(p.w, len * p.spread(3) + DAY_MS);
  let cur = p.make(ROLE.core, 0.5);
  p.tx(rngFunding(p), cur, amt, t - rng.int(HOUR_MS, DAY_MS));
  for (let j = 0; j < len; j++) {
    const next = p.make(ROLE.core);
    t += rng.next() * p.spread(3);
    amt *= rng.uniform(0.97, 0.999);
    if (rng.bool(0.25)) {
      // split hop: part of the funds takes a side branch to a fresh address then an exchange
      const side = p.make(ROLE.peripheral);
      const part = amt * rng.uniform(0.2, 0.4);
      p.tx(cur, side, part, t);
      p.tx(side, randomExchange(p.w), part * 0.99, t + rng.int(HOUR_MS, 6 * HOUR_MS));
      amt -= part;
    }
    p.tx(cur, next, amt, t, rng.bool(0.3) ? randomAsset(p.w) : 1);
    cur = next;
  }
  p.tx(
    cur,
    rng.bool(0.7) ? randomExchange(p.w) : rng.choice(p.w.bridges),
    amt * 0.99,
    t + rng.int(HOUR_MS, 8 * HOUR_MS),
  );
}

function cycle(p: Planter): void {
  const { rng } = p.w;
  const m = rng.int(3, 6);
  const ring: number[] = [];
  for (let j = 0; j < m; j++) ring.push(p.make(ROLE.core, 0.6));
  let amt = rng.lognormal(LN(40_000), 0.8);
  const rounds = rng.int(1, 3);
  let t = startTs(p.w, rounds * m * p.spread(2) + DAY_MS);
  p.tx(rngFunding(p), ring[0], amt, t - rng.int(HOUR_MS, DAY_MS));
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < m; j++) {
      t += rng.next() * p.spread(2);
      p.tx(ring[j], ring[(j + 1) % m], amt, t);
      amt *= rng.uniform(0.98, 0.999);
    }
  }
  p.tx(ring[0], randomExchange(p.w), amt * 0.99, t + rng.int(HOUR_MS, 12 * HOUR_MS));
}

function peelChain(p: Planter): void {
  const { rng } = p.w;
  const len = rng.int(5, 15);
  let amt = rng.lognormal(LN(150_000), 0.8);
  let t = startTs(p.w, len * p.spread(2) + DAY_MS);
  let cur = p.make(ROLE.core, 0.5);
  p.tx(rngFunding(p), cur, amt, t - rng.int(HOUR_MS, DAY_MS));
  for (let j = 0; j < len; j++) {
    t += rng.next() * p.spread(2);
    const peel = amt * rng.uniform(0.02, 0.08);
    const peelTo = rng.bool(0.6) ? randomExchange(p.w) : p.make(ROLE.peripheral);
    p.tx(cur, peelTo, peel, t);
    const next = p.make(ROLE.core);
    amt = (amt - peel) * 0.999;
    p.tx(cur, next, amt, t + rng.int(1_000, 120_000));
    cur = next;
  }
  p.tx(cur, randomExchange(p.w), amt, t + rng.int(HOUR_MS, 6 * HOUR_MS));
}

function structuring(p: Planter): void {
  const { rng } = p.w;
  const origin = p.make(ROLE.core, 0.3);
  const smurfs = rng.int(2, 5);
  const t0 = startTs(p.w, DAY_MS);
  for (let s = 0; s < smurfs; s++) {
    const smurf = p.make(ROLE.core);
    const n = rng.int(6, 22);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      // just under the threshold, a little lower when the launderer is careful
      const amt = STRUCTURING_THRESHOLD_USD * rng.uniform(0.86 - 0.2 * p.w.difficulty, 0.999);
      sum += amt;
      const ex = randomExchange(p.w);
      p.tx(smurf, ex, amt, t0 + rng.next() * (p.w.windowEnd - t0), 1);
    }
    p.tx(origin, smurf, sum * 1.01, t0 - rng.int(HOUR_MS, DAY_MS), 1);
  }
  p.tx(rngFunding(p), origin, rng.lognormal(LN(200_000), 0.5), t0 - 2 * DAY_MS);
}

function mixerInteraction(p: Planter): void {
  const { rng } = p.w;
  const origin = p.make(ROLE.core, 0.5);
  const mx = rng.choice(p.w.mixers);
  const deposits = rng.int(2, 8);
  const t0 = startTs(p.w, 2 * DAY_MS);
  let total = 0;
  for (let j = 0; j < deposits; j++) {
    const d = denomination(p.w);
    total += d;
    p.tx(origin, mx, d, t0 + rng.next() * p.spread(4), 0);
  }
  p.tx(rngFunding(p), origin, total * 1.01, t0 - rng.int(HOUR_MS, DAY_MS));
  const withdrawers = rng.int(1, 5);
  for (let j = 0; j < withdrawers; j++) {
    const out = p.make(ROLE.core);
    const amt = (total / withdrawers) * 0.97;
    const t = t0 + rng.int(6 * HOUR_MS, 2 * DAY_MS);
    p.tx(mx, out, amt, t, 0);
    p.tx(out, randomExchange(p.w), amt * 0.99, t + rng.int(HOUR_MS, DAY_MS));
  }
}

const PLANTERS: Record<Typology, (p: Planter) => void> = {
  layering,
  fan_in: fanIn,
  fan_out: fanOut,
  cycle,
  peel_chain: peelChain,
  structuring,
  mixer_interaction: mixerInteraction,
};

/** Mix of typologies among planted instances (chain-like ones create several alerted addresses). */
export const DEFAULT_TYPOLOGY_MIX: readonly number[] = [0.14, 0.2, 0.14, 0.12, 0.1, 0.16, 0.14];

/** Plants `count` instances, cycling the mix so every typology appears even in small batches. */
export function plantTypologies(w: World, count: number): PlantedInstance[] {
  const out: PlantedInstance[] = [];
  for (let i = 0; i < count; i++) {
    const t = i < TYPOLOGIES.length ? i : w.rng.weightedIndex(w.typologyMix);
    const typology = TYPOLOGIES[t];
    const p = new Planter(w, t, i);
    PLANTERS[typology](p);
    out.push({ id: i, typology, addresses: p.addresses });
  }
  return out;
}
