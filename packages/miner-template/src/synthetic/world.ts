/**
 * The shared state of one simulation (population, ledger, window, random stream, who the hubs are)
 * and the small helpers every behaviour uses to draw times and counterparties.
 */

import { type Rng, WeightedSampler } from '../random.js';
import { KIND, type Population } from './population.js';
import type { TxStore } from './tx-store.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** UTC hour-of-day activity (sums to ~1): a quiet night, a morning rise and an evening peak. */
const HOUR_WEIGHTS = [
  0.018, 0.014, 0.012, 0.011, 0.012, 0.016, 0.024, 0.034, 0.044, 0.052, 0.057, 0.06, 0.062, 0.063, 0.064,
  0.065, 0.066, 0.066, 0.064, 0.06, 0.054, 0.045, 0.034, 0.024,
];
const hourSampler = new WeightedSampler(HOUR_WEIGHTS);

export interface World {
  rng: Rng;
  pop: Population;
  store: TxStore;
  windowStart: number;
  windowEnd: number;
  windowDays: number;
  difficulty: number;
  /** Everyday (benign) amounts are multiplied by this; laundering and look-alikes are not. */
  amountScale: number;
  /** Relative weights of the typologies among planted instances, in TYPOLOGIES order. */
  typologyMix: readonly number[];
  retailLo: number;
  retailHi: number;
  exchanges: number[];
  exchangeSampler: WeightedSampler;
  merchants: number[];
  merchantSampler: WeightedSampler;
  whales: number[];
  contracts: number[];
  contractSampler: WeightedSampler;
  mixers: number[];
  bridges: number[];
}

/** Zipf-like popularity weights: a few big exchanges and merchants take most of the traffic. */
export function zipfWeights(n: number, exponent: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 1 / (i + 1) ** exponent;
  return w;
}

/** A timestamp in the window following the daily activity curve. */
export function diurnalTs(w: World): number {
  const day = Math.floor(w.rng.next() * w.windowDays);
  const hour = hourSampler.sample(w.rng);
  return w.windowStart + day * DAY_MS + hour * HOUR_MS + Math.floor(w.rng.next() * HOUR_MS);
}

/** A start time leaving `spanMs` of room before the window ends. */
export function startTs(w: World, spanMs: number): number {
  const room = Math.max(0, w.windowEnd - w.windowStart - spanMs - 1);
  return w.windowStart + Math.floor(w.rng.next() * room);
}

/** Clamps a timestamp into the window (planted sequences must not leak past its end). */
export function clampTs(w: World, ts: number): number {
  return Math.min(w.windowEnd - 1, Math.max(w.windowStart, ts));
}

export function randomRetail(w: World): number {
  return w.retailLo + Math.floor(w.rng.next() * (w.retailHi - w.retailLo));
}

export function randomExchange(w: World): number {
  return w.exchanges[w.exchangeSampler.sample(w.rng)];
}

export function randomMerchant(w: World): number {
  return w.merchants[w.merchantSampler.sample(w.rng)];
}

export function randomContract(w: World): number {
  return w.contracts[w.contractSampler.sample(w.rng)];
}

/** Asset of a transfer: mostly the native token and stablecoins. */
export function randomAsset(w: World): number {
  const r = w.rng.next();
  return r < 0.5 ? 0 : r < 0.78 ? 1 : r < 0.9 ? 2 : r < 0.97 ? 3 : 4;
}

export function isHubKind(kind: number): boolean {
  return kind === KIND.exchange || kind === KIND.bridge || kind === KIND.mixer || kind === KIND.contract;
}
