/**
 * Learns how a batch writes one kind of identifier (alert ids, addresses, pattern ids, cluster
 * ids) and writes new ones the same way, so a trap's identifiers look like the batch's own
 * whatever producer made it: `alert_torus_2026-01-09_000123`, a UUID, `0x` + 40 hex, base58.
 *
 * Values split on separators into tokens; per token position (within values of the same token
 * layout) a token is constant (the batch's value is used, never the donor's: a trap from an
 * earlier date must not carry that date), numeric (a number in the observed range, same width),
 * categorical (letters only, few distinct: kept from the donor, e.g. the typology in a pattern
 * id) or random (each character drawn from the characters seen at that token position, the
 * common prefix kept, e.g. `0x`, `bc1q`). A new value starts from a donor: a real value of the
 * batch, chosen by the caller (an alert of the same typology for pattern ids).
 */
import type { Rng } from '../../random.js';

const SEPARATORS = /([_\-.:/ ]+)/;

type TokenKind =
  | { kind: 'constant'; value: string }
  | { kind: 'numeric'; min: number; max: number; width: number; padded: boolean }
  | { kind: 'categorical'; values: string[] }
  | {
      kind: 'random';
      prefix: string;
      alphabet: string;
      /** Per length seen often enough: the characters at each position, as often as seen there. */
      positional: Map<number, string[]>;
      /** Characters at each position over all lengths (values long enough to have one there). */
      anyLength: string[];
    };

interface Layout {
  /** Separator runs between tokens, joined: the layout's key. */
  separators: string[];
  tokens: TokenKind[];
  examples: string[];
}

export interface StringShape {
  /** A new value shaped like `donor` (a value of this field in the batch), not in `taken`. */
  generate(rng: Rng, donor: string, taken: ReadonlySet<string>): string;
  /** A donor value to start from when the caller has no preference. */
  anyExample(rng: Rng): string;
  readonly size: number;
}

function split(value: string): { tokens: string[]; separators: string[] } {
  const parts = value.split(SEPARATORS);
  const tokens: string[] = [];
  const separators: string[] = [];
  parts.forEach((p, i) => {
    (i % 2 === 0 ? tokens : separators).push(p);
  });
  return { tokens, separators };
}

function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let prefix = values[0];
  for (const v of values) {
    let k = 0;
    while (k < prefix.length && k < v.length && prefix[k] === v[k]) k++;
    prefix = prefix.slice(0, k);
    if (prefix === '') break;
  }
  return prefix;
}

function classify(values: readonly string[]): TokenKind {
  const distinct = new Set(values);
  if (distinct.size === 1) return { kind: 'constant', value: values[0] };
  if (values.every((v) => /^\d+$/.test(v))) {
    const numbers = values.map(Number);
    const widths = new Set(values.map((v) => v.length));
    return {
      kind: 'numeric',
      min: Math.min(...numbers),
      max: Math.max(...numbers),
      width: Math.max(...widths),
      padded: widths.size === 1 && values.some((v) => v.startsWith('0')),
    };
  }
  const lettersOnly = values.every((v) => /^[A-Za-z]*$/.test(v));
  const manyDistinct = values.length >= 30 && distinct.size > 0.9 * values.length;
  if (lettersOnly && !manyDistinct) return { kind: 'categorical', values: [...distinct].sort() };
  const prefix = commonPrefix(values);
  const chars = new Set<string>();
  for (const v of values) for (const c of v.slice(prefix.length)) chars.add(c);
  // Each position keeps its own characters as often as the batch has them there: an SS58
  // address's second character takes only a few values, and the leading digits of a base58
  // address are far from uniform, so a uniform draw would tilt where new values sort (and the
  // features table is often sorted by address).
  const byLength = new Map<number, string[]>();
  for (const v of values) {
    if (!byLength.has(v.length)) byLength.set(v.length, []);
    byLength.get(v.length)!.push(v);
  }
  const positional = new Map<number, string[]>();
  for (const [length, group] of byLength)
    if (group.length >= 20)
      positional.set(
        length,
        Array.from({ length }, (_, k) => group.map((v) => v[k]).join('')),
      );
  const longest = Math.max(...values.map((v) => v.length));
  const anyLength = Array.from({ length: longest }, (_, k) =>
    values
      .filter((v) => v.length > k)
      .map((v) => v[k])
      .join(''),
  );
  return { kind: 'random', prefix, alphabet: [...chars].sort().join(''), positional, anyLength };
}

/** `headroom` > 0 lets numbers run past the observed maximum once the range is used up. */
function fill(token: TokenKind, donor: string, rng: Rng, headroom: number): string {
  switch (token.kind) {
    case 'constant':
      return token.value;
    case 'numeric': {
      const span = (token.max - token.min + 1) * (1 + headroom);
      const text = String(token.min + Math.floor(rng.next() * span));
      return token.padded ? text.padStart(token.width, '0') : text;
    }
    case 'categorical':
      return token.values.includes(donor) ? donor : token.values[rng.int(0, token.values.length - 1)];
    case 'random': {
      const length = Math.max(token.prefix.length, donor.length);
      const columns = token.positional.get(length) ?? token.anyLength;
      let out = token.prefix;
      while (out.length < length) {
        const seen = columns[out.length];
        out += seen
          ? seen[rng.int(0, seen.length - 1)]
          : token.alphabet[rng.int(0, token.alphabet.length - 1)];
      }
      return out;
    }
  }
}

const PERTURB_AFTER = 64;
const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function classOf(c: string): string | undefined {
  if (c >= '0' && c <= '9') return DIGITS;
  if (c >= 'a' && c <= 'z') return LOWER;
  if (c >= 'A' && c <= 'Z') return UPPER;
  return undefined;
}

/** `text` with every digit or letter redrawn in its class, and `grow` more of its last class. */
function perturb(text: string, rng: Rng, grow: number): string {
  let out = '';
  let last: string | undefined;
  for (const c of text) {
    const cls = classOf(c);
    if (cls) last = cls;
    out += cls ? cls[rng.int(0, cls.length - 1)] : c;
  }
  for (let i = 0; i < grow && last; i++) out += last[rng.int(0, last.length - 1)];
  return out;
}

export function learnStringShape(values: readonly string[]): StringShape | undefined {
  const clean = values.filter((v) => typeof v === 'string' && v.length > 0);
  if (clean.length === 0) return undefined;
  const layouts = new Map<string, { separators: string[]; tokenValues: string[][]; examples: string[] }>();
  for (const v of clean) {
    const { tokens, separators } = split(v);
    const key = `${tokens.length}|${separators.join('\u0000')}`;
    let l = layouts.get(key);
    if (!l) {
      l = { separators, tokenValues: tokens.map(() => []), examples: [] };
      layouts.set(key, l);
    }
    tokens.forEach((t, i) => {
      l!.tokenValues[i].push(t);
    });
    l.examples.push(v);
  }
  const learned = new Map<string, Layout>();
  for (const [key, l] of layouts)
    learned.set(key, { separators: l.separators, tokens: l.tokenValues.map(classify), examples: l.examples });
  const examples = clean;

  const commonest = [...learned.values()].sort((a, b) => b.examples.length - a.examples.length)[0];
  const layoutOf = (donor: string): { layout: Layout; donorTokens: string[] } => {
    const { tokens, separators } = split(donor);
    const exact = learned.get(`${tokens.length}|${separators.join('\u0000')}`);
    if (exact) return { layout: exact, donorTokens: tokens };
    // A donor from elsewhere (an earlier batch): write it in the batch's most common layout.
    return { layout: commonest, donorTokens: split(commonest.examples[0]).tokens };
  };

  return {
    size: examples.length,
    anyExample: (rng) => examples[rng.int(0, examples.length - 1)],
    generate(rng, donor, taken) {
      const { layout, donorTokens } = layoutOf(donor);
      for (let attempt = 0; ; attempt++) {
        let out = '';
        const headroom = attempt < 8 ? 0 : attempt / 8;
        layout.tokens.forEach((token, i) => {
          out += fill(token, donorTokens[i] ?? '', rng, headroom);
          if (i < layout.separators.length) out += layout.separators[i];
        });
        if (!taken.has(out)) return out;
        // A layout of few known values (a small batch's cluster ids can be all taken): redraw the
        // characters in their own classes, then lengthen, so a free value is always found.
        if (attempt >= PERTURB_AFTER) {
          const alt = perturb(out, rng, Math.floor((attempt - PERTURB_AFTER) / 64));
          if (!taken.has(alt)) return alt;
        }
        if (attempt > 10_000) throw new Error(`cannot find a free value shaped like ${donor}`);
      }
    },
  };
}
