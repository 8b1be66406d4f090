/**
 * Small perturbations that keep a synthetic trap from being a verbatim copy of the real donor it
 * borrows text and flows from: a duplicate description or flow row would itself be a tell. Numbers
 * keep their written format (decimals, thousands separators); timestamps move by whole days for
 * bank material (its date changes) or by a few hours for synthetic material.
 */

import type { Rng } from '../../random.js';
import type { MoneyFlow } from '../../schemas/money-flow.js';
import { decimalsOf, roundTo } from './batch-profile.js';

// Stand-alone numbers only: digits inside identifiers (addresses, hashes, key names, rule ids such
// as R-MIX-02) are not numbers.
const NUMBER = /(?<![\w.,])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w])/g;
const DATE_LIKE = /\d{4}-\d{2}-\d{2}/g;
const TIMESTAMP_MIN = 1e11; // unix ms from 1973 on; smaller numbers are amounts or counts

function format(
  value: number,
  like: string,
  decimals = like.includes('.') ? like.split('.')[1].length : 0,
): string {
  const fixed = value.toFixed(decimals);
  if (!like.includes(',')) return fixed;
  const [int, frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** Rewrites every number in `text` (dates left alone) through `map(value, written)`. */
export function rewriteNumbers(text: string, map: (value: number, written: string) => string): string {
  const dates: string[] = [];
  const masked = text.replace(DATE_LIKE, (d) => {
    dates.push(d);
    return `\u0000${dates.length - 1}\u0000`;
  });
  const rewritten = masked.replace(NUMBER, (written, offset: number, whole: string) => {
    // Leave the index digits of a masked date alone.
    if (whole[offset - 1] === '\u0000') return written;
    return map(Number(written.replace(/,/g, '')), written);
  });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks the placeholders we inserted, never text of the batch
  return rewritten.replace(/\u0000(\d+)\u0000/g, (_, i: string) => dates[Number(i)]);
}

const LONG_TOKEN = /[A-Za-z0-9]{16,}/g;

/** A text with its numbers and long identifiers masked: texts of one template differ only there. */
export function textTemplate(text: string): string {
  return rewriteNumbers(text.replace(LONG_TOKEN, '@'), () => '#');
}

function numbersOf(text: string): string[] {
  const out: string[] = [];
  rewriteNumbers(text, (_, w) => {
    out.push(w);
    return w;
  });
  return out;
}

/**
 * Takes the numbers of `text` from a random other text of the same template, keeping the text's
 * own identifiers: the result is shaped like the batch's texts, as often as they are, without
 * being the donor's text (the caller jitters the numbers so it is not the peer's either).
 */
export function recombineNumbers(
  text: string,
  byTemplate: ReadonlyMap<string, readonly string[]>,
  rng: Rng,
): string {
  const peers = byTemplate.get(textTemplate(text)) ?? [];
  if (peers.length < 2) return text;
  const peer = numbersOf(peers[rng.int(0, peers.length - 1)]);
  let k = 0;
  return rewriteNumbers(text, (_, w) => peer[k++] ?? w);
}

/**
 * Rewrites every written `from` as `to` in the same format: a text that states an alert's volume
 * must state the trap's volume, as real texts state their alert's.
 */
export function replaceAmount(text: string, from: number, to: number): string {
  if (!Number.isFinite(from) || !Number.isFinite(to) || from === to) return text;
  return rewriteNumbers(text, (v, w) => (v === from ? formatAmount(from, to, w) : w));
}

/**
 * `to` written where `from` was written as `w`: with w's separators, and with its own shortest
 * decimals when w had from's (a producer printing values as they are), else with w's.
 */
function formatAmount(from: number, to: number, w: string): string {
  const written = w.includes('.') ? w.split('.')[1].length : 0;
  return format(to, w, written === decimalsOf(from) ? decimalsOf(to) : written);
}

/** Shifts unix-ms timestamps written in the text by `shiftMs`; other numbers stay. */
export function shiftTimestamps(text: string, shiftMs: number): string {
  if (shiftMs === 0) return text;
  return rewriteNumbers(text, (v, w) => (v >= TIMESTAMP_MIN && !w.includes('.') ? String(v + shiftMs) : w));
}

/**
 * Scales amounts by `factor`, nudges scores and ratios in [0, 1] by a few hundredths (they must
 * stay in range), leaves small counts mostly alone and timestamps within 6 h; every number keeps
 * its written decimals and separators.
 */
export function jitterNumbers(
  text: string,
  factor: number,
  rng: Rng,
  fixed: ReadonlyMap<number, number> = new Map(),
): string {
  return rewriteNumbers(text, (v, w) => {
    const to = fixed.get(v);
    if (to !== undefined) return formatAmount(v, to, w);
    if (v >= TIMESTAMP_MIN && !w.includes('.'))
      return String(Math.round(v + (rng.next() - 0.5) * 6 * 3_600_000));
    if (v === 0) return w;
    if (w.includes('.') && v <= 1) return format(Math.min(1, Math.max(0, v + (rng.next() - 0.5) * 0.06)), w);
    if (!w.includes('.') && v < 20)
      return format(Math.max(1, v + (rng.bool(0.3) ? (rng.bool() ? 1 : -1) : 0)), w);
    // Keep the written width: a number that grows a digit changes the text's shape.
    const digits = w.replace(/\D/g, '').length;
    const scaled = w.includes('.') ? v * factor : Math.max(1, Math.round(v * factor));
    const out = format(scaled, w);
    return out.replace(/\D/g, '').length === digits ? out : w;
  });
}

/** A flow with its amounts scaled (±10 % more per flow) and its times nudged within [start, end]. */
export function jitterFlow(
  flow: MoneyFlow,
  factor: number,
  rng: Rng,
  window: { start: number; end: number; amountDecimals: number },
): MoneyFlow {
  const { start, end } = window;
  const f = factor * (0.9 + 0.2 * rng.next());
  const amount = flow.amount_usd_sum;
  // Each amount keeps the decimals it was written with (a round sum stays round).
  const newAmount = Number.isFinite(amount)
    ? roundTo(amount * f, Math.min(window.amountDecimals, decimalsOf(amount)))
    : amount;
  // A nudge that would leave the window goes the other way: clamping would pile flows up on the
  // window's edges, where real flows are no more common than elsewhere.
  const nudge = (t: number) => {
    if (!Number.isFinite(t)) return t;
    const delta = Math.round((rng.next() - 0.5) * 6 * 3_600_000);
    for (const moved of [t + delta, t - delta]) if (moved >= start && moved <= end) return moved;
    return t;
  };
  let first = nudge(flow.first_seen_timestamp);
  let last = nudge(flow.last_seen_timestamp);
  if (Number.isFinite(first) && Number.isFinite(last) && first > last) [first, last] = [last, first];
  const avgDecimals = window.amountDecimals;
  return {
    ...flow,
    amount_usd_sum: newAmount,
    avg_tx_size_usd:
      Number.isFinite(flow.avg_tx_size_usd) && flow.tx_count > 0
        ? roundTo(newAmount / flow.tx_count, avgDecimals)
        : flow.avg_tx_size_usd,
    first_seen_timestamp: first,
    last_seen_timestamp: last,
  };
}
