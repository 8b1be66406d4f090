/**
 * How the foreign producer spells things: alert ids, addresses, cluster and pattern ids, and USD
 * rounding. A consumer that silently relies on our generator's spellings (alert_… ids, 0x
 * addresses, 4-decimal amounts) breaks here, which is what this producer is for.
 */
import { createRng, hashString, type Rng } from './rng.js';

export interface ForeignStyle {
  alertId: 'uuid' | 'prefixed-base36' | 'numeric';
  address: 'evm' | 'bech32' | 'base58';
  amountDecimals: 0 | 2 | 6;
  featureColumns: 'core' | 'core+some' | 'all';
  missingRate: number;
}

export const ALERT_ID_STYLES = ['uuid', 'prefixed-base36', 'numeric'] as const;
export const ADDRESS_STYLES = ['evm', 'bech32', 'base58'] as const;
export const AMOUNT_DECIMALS = [0, 2, 6] as const;
export const FEATURE_COLUMN_SETS = ['core', 'core+some', 'all'] as const;
export const MAX_MISSING_RATE = 0.4;

/** The seed's style, with any given fields taking precedence (missingRate clamped to 0..0.4). */
export function resolveStyle(seed: number, override: Partial<ForeignStyle> | undefined): ForeignStyle {
  const rng = createRng(seed, 'style');
  const drawn: ForeignStyle = {
    alertId: rng.pick(ALERT_ID_STYLES),
    address: rng.pick(ADDRESS_STYLES),
    amountDecimals: rng.pick(AMOUNT_DECIMALS),
    featureColumns: rng.pick(FEATURE_COLUMN_SETS),
    missingRate: Math.round(rng.between(0.02, 0.32) * 1000) / 1000,
  };
  const style = { ...drawn, ...definedFields(override) };
  style.missingRate = Math.min(MAX_MISSING_RATE, Math.max(0, style.missingRate));
  return style;
}

function definedFields(override: Partial<ForeignStyle> | undefined): Partial<ForeignStyle> {
  const out: Partial<ForeignStyle> = {};
  if (override === undefined) return out;
  for (const [key, value] of Object.entries(override)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

const HEX = '0123456789abcdef';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function randomChars(rng: Rng, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[rng.int(alphabet.length)];
  return out;
}

function hexWord(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}

function oneAddress(rng: Rng, style: ForeignStyle['address']): string {
  switch (style) {
    case 'evm':
      return `0x${hexWord(rng.word())}${hexWord(rng.word())}${hexWord(rng.word())}${hexWord(rng.word())}${hexWord(rng.word())}`;
    case 'bech32':
      return `bc1q${randomChars(rng, BECH32, 38)}`;
    case 'base58':
      return `${rng.chance(0.6) ? '1' : '3'}${randomChars(rng, BASE58, 33)}`;
  }
}

/** A source of distinct addresses in one style. */
export function addressMinter(seed: number, style: ForeignStyle['address']): () => string {
  const rng = createRng(seed, `addresses:${style}`);
  const seen = new Set<string>();
  return () => {
    for (;;) {
      const address = oneAddress(rng, style);
      if (!seen.has(address)) {
        seen.add(address);
        return address;
      }
    }
  };
}

function uuidV4(rng: Rng): string {
  const a = hexWord(rng.word());
  const b = hexWord(rng.word());
  const c = hexWord(rng.word());
  const d = hexWord(rng.word());
  const variant = HEX[8 + rng.int(4)];
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** A source of distinct alert ids in one style, in emission order. */
export function alertIdMinter(seed: number, style: ForeignStyle['alertId']): () => string {
  const rng = createRng(seed, `alert-ids:${style}`);
  const seen = new Set<string>();
  // Numeric ids climb from a seeded base with gaps, like a database sequence shared by other jobs.
  let sequence = 100_000_000 + rng.int(800_000_000);
  const candidate = (): string => {
    switch (style) {
      case 'uuid':
        return uuidV4(rng);
      case 'prefixed-base36':
        return `ALR-${randomChars(rng, BASE36, 6)}`;
      case 'numeric':
        sequence += 1 + rng.int(7);
        return String(sequence);
    }
  };
  return () => {
    for (;;) {
      const id = candidate();
      if (!seen.has(id)) {
        seen.add(id);
        return id;
      }
    }
  };
}

/** 'CL' + a zero-padded counter from a seeded offset. */
export function clusterIdMinter(seed: number): () => string {
  let counter = createRng(seed, 'cluster-ids').int(90_000) + 1;
  return () => `CL${String(counter++).padStart(7, '0')}`;
}

/** 'P-' + 10 hex digits derived from the pattern's key, so one pattern has one id. */
export function patternId(seed: number, key: string): string {
  const high = hashString(key, hashString(`pattern:${seed}`));
  const low = hashString(`${key}#`, high);
  return `P-${hexWord(high)}${hexWord(low).slice(0, 2)}`;
}

/** Rounds to the style's decimals (half away from zero), never producing -0. */
export function roundUsd(value: number, decimals: ForeignStyle['amountDecimals']): number {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** decimals;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * scale)) / scale;
  return rounded === 0 ? 0 : rounded;
}

/** Fixed significant digits for scores and graph metrics (pagerank values are tiny, not [0,1]-scaled). */
export function roundSignificant(value: number, digits: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

export function roundTo(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
