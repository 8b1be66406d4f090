/**
 * Who exists in a simulated window: entity kinds, the illicit flags of planted typologies, and the
 * on-chain address string of each integer id. Address strings are derived from (seed, id) alone,
 * so any subset of them can be printed lazily and the same id always prints the same address.
 */
import { hashSeed } from '../random.js';

export const ENTITY_KINDS = [
  'retail',
  'exchange',
  'merchant',
  'whale',
  'contract',
  'mixer',
  'bridge',
  'illicit',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];
export const KIND = {
  retail: 0,
  exchange: 1,
  merchant: 2,
  whale: 3,
  contract: 4,
  mixer: 5,
  bridge: 6,
  illicit: 7,
} as const;

/** Role of an address in the ground truth: benign, a planted typology's core, or its periphery (mules). */
export const ROLE = { benign: 0, core: 1, peripheral: 2 } as const;

/**
 * Benign behaviours planted because they look like laundering (hard negatives): payroll fan-outs,
 * business deposits just under a threshold, self-custody hops, privacy-minded mixer users, ...
 */
export const MIMIC = {
  none: 0,
  payroll: 1,
  business_deposits: 2,
  self_custody_hops: 3,
  privacy_user: 4,
  donation_hub: 5,
  arbitrage_loop: 6,
} as const;

export class Population {
  kind: Uint8Array;
  role: Uint8Array;
  mimic: Uint8Array;
  /** Typology index (into TYPOLOGIES) of the planted instance an address belongs to, -1 if none. */
  typology: Int8Array;
  /** Planted instance id, -1 if none. */
  instance: Int32Array;
  /** Window-relative day the address first appeared on chain (negative = before the window). */
  bornDay: Float64Array;
  length = 0;
  readonly network: string;
  readonly seed: number;
  private readonly addressSalt: number;
  private readonly addressCache = new Map<number, string>();

  constructor(network: string, seed: number, capacity: number) {
    this.network = network;
    this.seed = seed;
    this.addressSalt = hashSeed(seed, 'address');
    this.kind = new Uint8Array(capacity);
    this.role = new Uint8Array(capacity);
    this.mimic = new Uint8Array(capacity);
    this.typology = new Int8Array(capacity).fill(-1);
    this.instance = new Int32Array(capacity).fill(-1);
    this.bornDay = new Float64Array(capacity);
  }

  private grow(): void {
    const cap = this.kind.length * 2;
    const grow8 = (a: Uint8Array) => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    this.kind = grow8(this.kind);
    this.role = grow8(this.role);
    this.mimic = grow8(this.mimic);
    const t = new Int8Array(cap).fill(-1);
    t.set(this.typology);
    this.typology = t;
    const n = new Int32Array(cap).fill(-1);
    n.set(this.instance);
    this.instance = n;
    const d = new Float64Array(cap);
    d.set(this.bornDay);
    this.bornDay = d;
  }

  add(kind: number, bornDay: number): number {
    if (this.length === this.kind.length) this.grow();
    const id = this.length++;
    this.kind[id] = kind;
    this.bornDay[id] = bornDay;
    return id;
  }

  addIllicit(typology: number, instance: number, role: number, bornDay: number): number {
    const id = this.add(KIND.illicit, bornDay);
    this.role[id] = role;
    this.typology[id] = typology;
    this.instance[id] = instance;
    return id;
  }

  /** The address string of an id (computed once, then cached). */
  address(id: number): string {
    let s = this.addressCache.get(id);
    if (s === undefined) {
      s = formatAddress(this.network, this.addressSalt, id);
      this.addressCache.set(id, s);
    }
    return s;
  }
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const SS58_SECOND = 'CDEFGHR';
/** Networks whose addresses are SS58 (Substrate); the rest print as 0x-hex (EVM-style). */
const SS58_NETWORKS = new Set(['torus', 'bittensor', 'polkadot', 'kusama', 'substrate']);

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/**
 * A realistic-looking address for id under a salt: SS58-like (48 base58 characters starting with
 * "5") for Substrate networks, 0x + 40 hex otherwise. Random-looking, unique in practice. Built
 * from a character-code buffer so the string is flat (concatenation would leave a 48-piece rope).
 */
export function formatAddress(network: string, salt: number, id: number): string {
  let state = mix32(salt ^ mix32(id + 0x9e3779b9));
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    return mix32(state);
  };
  if (SS58_NETWORKS.has(network)) {
    const codes = new Array<number>(48);
    codes[0] = 53; // '5'
    // the second character of SS58 addresses on prefix 42 falls in a narrow set
    codes[1] = SS58_SECOND.charCodeAt(next() % 7);
    for (let i = 2; i < 48; i++) codes[i] = BASE58.charCodeAt(next() % 58);
    return String.fromCharCode(...codes);
  }
  const codes = new Array<number>(42);
  codes[0] = 48;
  codes[1] = 120;
  for (let i = 2; i < 42; i++) codes[i] = HEX.charCodeAt(next() & 15);
  return String.fromCharCode(...codes);
}
