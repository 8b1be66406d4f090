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
import { gzipSync } from 'node:zlib';
import { type BatchArrowCodec, compressContainer, decompressContainer } from './arrow-compression.js';
import { arrowFormatError } from './arrow-format-error.js';
import type { Batch } from './batch.js';
import { encodeFeaturesArrow, encodeRowsArrow } from './codec-arrow.js';

export const ARROW_MAGIC = 'AMLA';
export const ARROW_FORMAT_VERSION = 1;
export const CONTAINER_TABLES = ['alerts', 'features', 'clusters', 'money_flows'] as const;
export type ContainerTable = (typeof CONTAINER_TABLES)[number];

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
  if (bytes.length < 8) throw arrowFormatError(`expected at least 8 bytes, got ${bytes.length}`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== ARROW_MAGIC)
    throw arrowFormatError(`expected magic "${ARROW_MAGIC}", got ${JSON.stringify(magic)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== ARROW_FORMAT_VERSION) {
    throw arrowFormatError(`expected format version ${ARROW_FORMAT_VERSION}, got ${version}`);
  }
  const frames = new Map<ContainerTable, Uint8Array>();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let at = 8;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw arrowFormatError(`truncated frame header at byte ${at}`);
    const nameLength = view.getUint16(at, true);
    if (at + 2 + nameLength + 4 > bytes.length)
      throw arrowFormatError(`truncated frame header at byte ${at}`);
    const name = decoder.decode(bytes.subarray(at + 2, at + 2 + nameLength));
    at += 2 + nameLength;
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > bytes.length) {
      throw arrowFormatError(
        `table ${JSON.stringify(name)} declares ${length} bytes, only ${bytes.length - at} remain`,
      );
    }
    if (!(CONTAINER_TABLES as readonly string[]).includes(name)) {
      throw arrowFormatError(
        `unknown table ${JSON.stringify(name)}; expected one of ${CONTAINER_TABLES.join(', ')}`,
      );
    }
    if (frames.has(name as ContainerTable))
      throw arrowFormatError(`table ${JSON.stringify(name)} appears twice`);
    frames.set(name as ContainerTable, bytes.subarray(at, at + length));
    at += length;
  }
  if (!frames.has('alerts')) throw arrowFormatError('the alerts table is missing');
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
 * `batch_arrow` back to the container bytes: gzip, or brotli behind the "AMLZ" header
 * (arrow-compression.ts). Bad base64 and bad compressed data are format errors (400); the
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
    throw arrowFormatError('batch_arrow is not base64 (standard alphabet, padded to a multiple of 4)');
  }
  return compressed;
}

/** The container from the bytes of `batch_arrow` (gzip, or brotli behind "AMLZ"; arrow-compression.ts). */
export function inflateBatchArrow(compressed: Uint8Array, maxDecodedBytes: number): Uint8Array {
  return decompressContainer(compressed, maxDecodedBytes);
}

/**
 * The `batch_arrow` field for a container with `codec`: what a validator sends to an axon that
 * advertised brotli. Asynchronous, since brotli at the level used takes seconds.
 */
export async function wrapBatchArrowField(container: Uint8Array, codec: BatchArrowCodec): Promise<string> {
  return (await compressContainer(container, codec)).toString('base64');
}
