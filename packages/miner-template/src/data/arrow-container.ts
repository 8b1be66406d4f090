/**
 * The batch container: the four tables of a batch as Arrow IPC streams in one buffer, and
 * `batch_arrow`, the synapse field that carries the container gzip-compressed and base64-encoded
 * (docs/protocol.md documents it byte by byte).
 *
 * Framing: the 4 ASCII bytes "AMLA", a uint32 LE format version (1), then one frame per table, in
 * any order, each table at most once:
 *   uint16 LE name length | name (UTF-8: alerts, features, clusters, money_flows)
 *   uint32 LE payload length | payload: one complete Arrow IPC *stream* (schema, batches, EOS).
 * `alerts` is required; an absent table is empty. The tables themselves are written by
 * codec-arrow.ts, the one Arrow codec, so every column has its declared type whatever the rows hold.
 */
import { constants as bufferLimits } from 'node:buffer';
import { gunzipSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { amlError, ERRORS } from '../errors.js';
import type { Batch } from './batch.js';
import { encodeFeaturesArrow, encodeRowsArrow } from './codec-arrow.js';

export const ARROW_MAGIC = 'AMLA';
export const ARROW_FORMAT_VERSION = 1;
export const CONTAINER_TABLES = ['alerts', 'features', 'clusters', 'money_flows'] as const;
export type ContainerTable = (typeof CONTAINER_TABLES)[number];

function formatError(reason: string): Error {
  return amlError(ERRORS.AML_ERR_API_ARROW_FORMAT, [reason]);
}

/** Writes the framing above around already encoded IPC streams, in the order given. */
export function writeArrowFrames(frames: readonly (readonly [ContainerTable, Uint8Array])[]): Uint8Array {
  const encoder = new TextEncoder();
  const names = frames.map(([name]) => encoder.encode(name));
  let size = 8;
  frames.forEach(([, bytes], i) => {
    size += 2 + names[i].length + 4 + bytes.length;
  });
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(encoder.encode(ARROW_MAGIC), 0);
  view.setUint32(4, ARROW_FORMAT_VERSION, true);
  let at = 8;
  frames.forEach(([, bytes], i) => {
    view.setUint16(at, names[i].length, true);
    out.set(names[i], at + 2);
    at += 2 + names[i].length;
    view.setUint32(at, bytes.length, true);
    out.set(bytes, at + 4);
    at += 4 + bytes.length;
  });
  return out;
}

/** Splits the container into its tables' IPC streams, checking every length against the buffer. */
export function splitArrowFrames(bytes: Uint8Array): Map<ContainerTable, Uint8Array> {
  if (bytes.length < 8) throw formatError(`expected at least 8 bytes, got ${bytes.length}`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== ARROW_MAGIC)
    throw formatError(`expected magic "${ARROW_MAGIC}", got ${JSON.stringify(magic)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== ARROW_FORMAT_VERSION) {
    throw formatError(`expected format version ${ARROW_FORMAT_VERSION}, got ${version}`);
  }
  const frames = new Map<ContainerTable, Uint8Array>();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let at = 8;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw formatError(`truncated frame header at byte ${at}`);
    const nameLength = view.getUint16(at, true);
    if (at + 2 + nameLength + 4 > bytes.length) throw formatError(`truncated frame header at byte ${at}`);
    const name = decoder.decode(bytes.subarray(at + 2, at + 2 + nameLength));
    at += 2 + nameLength;
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > bytes.length) {
      throw formatError(
        `table ${JSON.stringify(name)} declares ${length} bytes, only ${bytes.length - at} remain`,
      );
    }
    if (!(CONTAINER_TABLES as readonly string[]).includes(name)) {
      throw formatError(
        `unknown table ${JSON.stringify(name)}; expected one of ${CONTAINER_TABLES.join(', ')}`,
      );
    }
    if (frames.has(name as ContainerTable)) throw formatError(`table ${JSON.stringify(name)} appears twice`);
    frames.set(name as ContainerTable, bytes.subarray(at, at + length));
    at += length;
  }
  if (!frames.has('alerts')) throw formatError('the alerts table is missing');
  return frames;
}

/**
 * A parsed batch as the container: every table present, each column in its declared Arrow type,
 * text that repeats (addresses of the money flows, dates, categories) as dictionaries: 14 % less
 * gzip on a 10,000-alert batch (BENCHMARKS.md).
 */
export function encodeBatchContainer(batch: Pick<Batch, 'alerts' | 'features' | 'clusters' | 'money_flows'>) {
  const rows = { dictionary: true };
  return writeArrowFrames([
    ['alerts', encodeRowsArrow('alerts', batch.alerts, 'stream', rows)],
    ['features', encodeFeaturesArrow(batch.features, 'stream')],
    ['clusters', encodeRowsArrow('clusters', batch.clusters, 'stream', rows)],
    ['money_flows', encodeRowsArrow('money_flows', batch.money_flows, 'stream', rows)],
  ]);
}

/**
 * The `batch_arrow` field: base64 of the gzip-compressed container. Deterministic (Node's gzip
 * writes no timestamp or file name), so a validator that rebuilds a cycle's request after a restart
 * sends the same bytes and the same body hash.
 */
export function encodeBatchArrowField(
  batch: Pick<Batch, 'alerts' | 'features' | 'clusters' | 'money_flows'>,
): string {
  return gzipSync(encodeBatchContainer(batch)).toString('base64');
}

/**
 * Standard base64 (padded to a multiple of 4) to bytes, or undefined when it is not. Buffer.from
 * skips characters outside its alphabet, so a string with any is shorter once decoded than its
 * length says; the URL-safe letters it also accepts are refused by name. A regular expression over
 * a 15 MB field cost 100 ms; this costs the decode.
 */
function strictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || text.includes('-') || text.includes('_')) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === (text.length / 4) * 3 - padding ? bytes : undefined;
}

/**
 * `batch_arrow` back to the container bytes. Bad base64 and bad gzip are format errors (400); the
 * decompressed size is capped, so a small body cannot inflate into gigabytes.
 */
export function unwrapBatchArrowField(text: string, maxDecodedBytes: number): Uint8Array {
  return inflateBatchArrow(batchArrowBytes(text), maxDecodedBytes);
}

/**
 * The two steps of unwrapBatchArrowField, for a caller that lets the text go before inflating
 * (a 50,000-alert field is 65 MB of text beside the 141 MB it inflates to).
 */
export function batchArrowBytes(text: string): Buffer {
  const compressed = strictBase64(text);
  if (compressed === undefined) {
    throw formatError('batch_arrow is not base64 (standard alphabet, padded to a multiple of 4)');
  }
  return compressed;
}

/**
 * zlib's output piece size for `compressed`: the size gzip's trailer declares (its last 4 bytes,
 * mod 2^32), so the container inflates into one buffer of its own where zlib's default 16 KB
 * pieces are joined into a second copy at the end (141 MB twice at 50,000 alerts). A trailer that
 * lies costs nothing worse: more output than declared is joined from pieces as before (data of
 * several gzip members), less is a gzip error; the size is capped like the output.
 */
function outputChunkSize(compressed: Uint8Array, maxOutputLength: number): number {
  if (compressed.length < 18) return zlibConstants.Z_MIN_CHUNK;
  const view = new DataView(compressed.buffer, compressed.byteOffset, compressed.byteLength);
  const declared = view.getUint32(compressed.length - 4, true);
  return Math.max(zlibConstants.Z_MIN_CHUNK, Math.min(declared, maxOutputLength));
}

export function inflateBatchArrow(compressed: Uint8Array, maxDecodedBytes: number): Uint8Array {
  const maxOutputLength = Math.min(maxDecodedBytes, bufferLimits.MAX_LENGTH);
  try {
    return gunzipSync(compressed, {
      maxOutputLength,
      chunkSize: outputChunkSize(compressed, maxOutputLength),
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw formatError(`batch_arrow inflates to more than ${maxDecodedBytes} bytes`);
    }
    throw formatError(`batch_arrow is not gzip data (${(err as Error).message})`);
  }
}
