/**
 * Reads a synapse body's small top-level fields without parsing its tables. The axon needs only
 * `task`, `batch_id` and the envelope to route and hash a request, and forwards the bytes unchanged
 * to the miner API, which parses (and validates) the tables anyway; JSON.parse-ing a 10 MB batch
 * here as well would double the cost. The scan walks the bytes once, tracking strings and nesting;
 * small fields are then parsed with JSON.parse, so their values are exactly what JSON.parse gives
 * (last duplicate key wins, as in JSON.parse). Malformed JSON is an error here or at the API.
 */
import { amlError, ERRORS } from '../errors.js';
import type { SynapseEnvelope } from './synapse.js';
import { SynapseEnvelopeSchema } from './synapse.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function fail(why: string, at: number): never {
  throw amlError(ERRORS.AML_ERR_PROTOCOL_BODY, [`${why} at byte ${at}`]);
}

/** Index just past the string that starts at `i` (which holds the opening quote). */
function skipString(buf: Uint8Array, i: number): number {
  for (let j = i + 1; j < buf.length; j++) {
    const b = buf[j];
    if (b === BACKSLASH) j++;
    else if (b === QUOTE) return j + 1;
  }
  return fail('unterminated string', i);
}

/** Index just past the value that starts at `i`. */
function skipValue(buf: Uint8Array, i: number): number {
  const first = buf[i];
  if (first === QUOTE) return skipString(buf, i);
  if (first === OPEN_OBJ || first === OPEN_ARR) {
    let depth = 0;
    for (let j = i; j < buf.length; j++) {
      const b = buf[j];
      if (b === QUOTE) j = skipString(buf, j) - 1;
      else if (b === OPEN_OBJ || b === OPEN_ARR) depth++;
      else if (b === CLOSE_OBJ || b === CLOSE_ARR) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return fail('unterminated value', i);
  }
  let j = i;
  while (j < buf.length && buf[j] !== COMMA && buf[j] !== CLOSE_OBJ && !isSpace(buf[j])) j++;
  if (j === i) fail('expected a value', i);
  return j;
}

function skipSpace(buf: Uint8Array, i: number): number {
  while (i < buf.length && isSpace(buf[i])) i++;
  return i;
}

/** Top-level key → [start, end) byte range of its value (the last one when a key repeats). */
export function scanTopLevel(buf: Uint8Array): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const decoder = new TextDecoder();
  let i = skipSpace(buf, 0);
  if (buf[i] !== OPEN_OBJ) fail('expected a JSON object', i);
  i = skipSpace(buf, i + 1);
  if (buf[i] === CLOSE_OBJ) return out;
  for (;;) {
    if (buf[i] !== QUOTE) fail('expected a key', i);
    const keyEnd = skipString(buf, i);
    const key = JSON.parse(decoder.decode(buf.subarray(i, keyEnd))) as string;
    i = skipSpace(buf, keyEnd);
    if (buf[i] !== COLON) fail("expected ':'", i);
    const start = skipSpace(buf, i + 1);
    const end = skipValue(buf, start);
    out.set(key, [start, end]);
    i = skipSpace(buf, end);
    if (buf[i] === COMMA) {
      i = skipSpace(buf, i + 1);
      continue;
    }
    if (buf[i] === CLOSE_OBJ) break;
    fail("expected ',' or '}'", i);
  }
  if (skipSpace(buf, i + 1) !== buf.length) fail('trailing data', i + 1);
  return out;
}

/** A JSON string value with no escapes and only ASCII: its content is its bytes. */
function isPlainAsciiString(buf: Uint8Array, start: number, end: number): boolean {
  if (buf[start] !== QUOTE || end - start < 2) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const b = buf[i];
    if (b === BACKSLASH || b >= 0x80 || b < 0x20) return false;
  }
  return true;
}

const TABLES = new Set(['alerts', 'features', 'clusters', 'money_flows', 'scores']);

/**
 * The envelope of a synapse body (tables left unparsed: each must be an array or null, and comes
 * back as []). Throws AML_ERR_PROTOCOL_BODY.
 */
export function scanSynapseEnvelope(buf: Uint8Array): SynapseEnvelope {
  const ranges = scanTopLevel(buf);
  const decoder = new TextDecoder();
  const small: Record<string, unknown> = {};
  for (const [key, [start, end]] of ranges) {
    if (TABLES.has(key)) {
      const first = buf[start];
      const isNull = end - start === 4 && decoder.decode(buf.subarray(start, end)) === 'null';
      if (first !== OPEN_ARR && !isNull)
        throw amlError(ERRORS.AML_ERR_PROTOCOL_BODY, [`${key}: expected an array`]);
      continue;
    }
    if (key === 'batch_arrow' && isPlainAsciiString(buf, start, end)) {
      // base64 has no escapes: the bytes between the quotes are the string, no JSON.parse copy
      small[key] = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString(
        'latin1',
        start + 1,
        end - 1,
      );
      continue;
    }
    try {
      small[key] = JSON.parse(decoder.decode(buf.subarray(start, end)));
    } catch {
      throw amlError(ERRORS.AML_ERR_PROTOCOL_BODY, [`${key}: not valid JSON`]);
    }
  }
  const parsed = SynapseEnvelopeSchema.safeParse(small);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw amlError(ERRORS.AML_ERR_PROTOCOL_BODY, [`${issue.path.join('.') || '(root)'}: ${issue.message}`]);
  }
  return parsed.data;
}
