/**
 * Synapse ⇄ HTTP headers, as Bittensor's Synapse.to_headers / from_headers do it: every value a
 * string; `bt_header_axon_*` and `bt_header_dendrite_*` carry the two TerminalInfos; `name`,
 * `timeout`, `header_size`, `total_size` and `computed_body_hash` carry the envelope. Decoding is
 * strict (a malformed value is an error naming the header), since the axon authenticates from it.
 */
import { amlError, ERRORS } from '../errors.js';
import type { TerminalInfo } from './terminal-info.js';
import { TERMINAL_FIELDS } from './terminal-info.js';

export const AXON_PREFIX = 'bt_header_axon_';
export const DENDRITE_PREFIX = 'bt_header_dendrite_';

/** The envelope a header set carries. */
export interface SynapseHeaderFields {
  name: string;
  timeout: number;
  dendrite: TerminalInfo;
  axon: TerminalInfo;
  computed_body_hash: string;
  header_size: number;
  total_size: number;
}

/** Python's str(float): integral floats keep a trailing ".0" ("12.0"). */
export function pythonFloatString(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** Header values must be printable ISO-8859-1 without CR/LF; anything else becomes '?'. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}

function terminalValue(key: (typeof TERMINAL_FIELDS)[number], value: unknown): string {
  if (key === 'process_time') return pythonFloatString(value as number);
  return headerSafe(String(value));
}

function terminalHeaders(prefix: string, info: TerminalInfo, out: Record<string, string>): void {
  for (const key of TERMINAL_FIELDS) {
    const v = info[key];
    if (v !== undefined && v !== null) out[`${prefix}${key}`] = terminalValue(key, v);
  }
}

/** Headers for a synapse, in Bittensor's order. `header_size` counts the other headers' bytes. */
export function encodeHeaders(fields: Omit<SynapseHeaderFields, 'header_size'>): Record<string, string> {
  const out: Record<string, string> = { name: fields.name, timeout: pythonFloatString(fields.timeout) };
  terminalHeaders(AXON_PREFIX, fields.axon, out);
  terminalHeaders(DENDRITE_PREFIX, fields.dendrite, out);
  let size = 0;
  for (const [k, v] of Object.entries(out)) size += k.length + v.length;
  out.header_size = String(size);
  out.total_size = String(fields.total_size);
  out.computed_body_hash = fields.computed_body_hash;
  return out;
}

type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

function single(headers: HeaderBag, key: string): string | undefined {
  const v = headers[key];
  return Array.isArray(v) ? v[0] : v;
}

function bad(header: string, why: string): never {
  throw amlError(ERRORS.AML_ERR_PROTOCOL_HEADER, [header, why]);
}

function parseInteger(header: string, text: string): number {
  if (!/^-?\d+$/.test(text)) bad(header, `expected an integer, got "${text}"`);
  return Number(text);
}

function parseFloatText(header: string, text: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x)) bad(header, `expected a number, got "${text}"`);
  return x;
}

function parseTerminal(prefix: string, headers: HeaderBag): TerminalInfo {
  const info: TerminalInfo = {};
  for (const key of TERMINAL_FIELDS) {
    const header = `${prefix}${key}`;
    const text = single(headers, header);
    if (text === undefined) continue;
    switch (key) {
      case 'status_code':
      case 'port':
      case 'version':
        info[key] = parseInteger(header, text);
        break;
      case 'process_time':
        info[key] = parseFloatText(header, text);
        break;
      case 'nonce':
        if (!/^\d{1,30}$/.test(text)) bad(header, `expected a non-negative integer, got "${text}"`);
        info.nonce = BigInt(text);
        break;
      default:
        info[key] = text;
    }
  }
  return info;
}

/**
 * Reads the envelope from request or response headers (names lowercase, as node:http and undici
 * hand them over). Missing envelope headers take Bittensor's defaults.
 */
export function decodeHeaders(headers: HeaderBag): SynapseHeaderFields {
  const timeoutText = single(headers, 'timeout');
  const timeout = timeoutText === undefined ? 12 : parseFloatText('timeout', timeoutText);
  if (!(timeout > 0)) bad('timeout', `expected a positive number of seconds, got "${timeoutText}"`);
  const sizeText = (key: string) => {
    const t = single(headers, key);
    return t === undefined ? 0 : parseInteger(key, t);
  };
  return {
    name: single(headers, 'name') ?? '',
    timeout,
    dendrite: parseTerminal(DENDRITE_PREFIX, headers),
    axon: parseTerminal(AXON_PREFIX, headers),
    computed_body_hash: single(headers, 'computed_body_hash') ?? '',
    header_size: sizeText('header_size'),
    total_size: sizeText('total_size'),
  };
}
