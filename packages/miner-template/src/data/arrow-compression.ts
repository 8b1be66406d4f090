/**
 * The compression layer of `batch_arrow` (docs/protocol.md). The field is base64 of either
 *
 * - a gzip stream of the container (bytes 1f 8b …): the default, and what every reader takes;
 * - or "AMLZ" (4 ASCII bytes), one codec byte, then that codec's stream of the container. Codec 1
 *   is brotli (RFC 7932), 25 % smaller than gzip on a 10,000-alert batch; a validator
 *   sends it only to axons that advertise it, because not every reader has brotli (Python needs
 *   the `brotli` package).
 *
 * The codec byte leaves room for zstd once Node's zlib has it everywhere we run.
 */
import { constants as bufferLimits } from 'node:buffer';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompressSync, gunzipSync, gzip, constants as zlib } from 'node:zlib';
import { arrowFormatError } from './arrow-format-error.js';

export const BATCH_ARROW_CODECS = ['gzip', 'br'] as const;
export type BatchArrowCodec = (typeof BATCH_ARROW_CODECS)[number];
export const COMPRESSED_MAGIC = 'AMLZ';
/** Codec byte after the magic. */
export const CODEC_IDS = { br: 1 } as const;

/**
 * Brotli quality 4 with a 16 MiB window. On the 10,000-alert container (28 MB), interleaved in one
 * process at load 7–10 on 2 cores: quality 4 gives 7.36 MB in 0.8–2.4 s, 5 gives 7.94 MB in
 * 2.8–3.9 s, 6 gives 7.24 MB in 2.7–4.7 s, 9 took 27 s; qualities 2–3 give 9.6 MB, no better than
 * gzip (BENCHMARKS.md, Batch transport). The window is what finds a money-flow address's earlier
 * uses (quality 4 with the default 4 MiB window: 8.23 MB); 24 is the largest a standard brotli
 * decoder must accept.
 */
const BROTLI_QUALITY = 4;
const BROTLI_WINDOW = 24;

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * The container compressed with `codec`, framed as above (not yet base64). Deterministic for a
 * given container, and run on libuv's thread pool: brotli at this level takes seconds.
 */
export async function compressContainer(container: Uint8Array, codec: BatchArrowCodec): Promise<Buffer> {
  if (codec === 'gzip') return gzipAsync(container);
  const stream = await brotliAsync(container, {
    params: {
      [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlib.BROTLI_PARAM_LGWIN]: BROTLI_WINDOW,
      [zlib.BROTLI_PARAM_SIZE_HINT]: container.length,
    },
  });
  const head = Buffer.from(`${COMPRESSED_MAGIC}\x00`, 'latin1');
  head[4] = CODEC_IDS.br;
  return Buffer.concat([head, stream]);
}

/** Which codec compressed bytes use, by their first bytes (gzip for anything without the magic). */
export function codecOf(compressed: Uint8Array): BatchArrowCodec | number {
  const magic = Buffer.from(compressed.buffer, compressed.byteOffset, Math.min(4, compressed.length));
  if (compressed.length < 5 || magic.toString('latin1') !== COMPRESSED_MAGIC) return 'gzip';
  return compressed[4] === CODEC_IDS.br ? 'br' : compressed[4];
}

/**
 * zlib's output piece size for gzip data: the size gzip's trailer declares (its last 4 bytes,
 * mod 2^32), so the container inflates into one buffer of its own where zlib's default 16 KB
 * pieces are joined into a second copy at the end (141 MB twice at 50,000 alerts). A trailer that
 * lies costs nothing worse: more output than declared is joined from pieces as before (data of
 * several gzip members), less is a gzip error; the size is capped like the output.
 */
function gzipOutputChunk(compressed: Uint8Array, maxOutputLength: number): number {
  if (compressed.length < 18) return zlib.Z_MIN_CHUNK;
  const view = new DataView(compressed.buffer, compressed.byteOffset, compressed.byteLength);
  const declared = view.getUint32(compressed.length - 4, true);
  return Math.max(zlib.Z_MIN_CHUNK, Math.min(declared, maxOutputLength));
}

/**
 * The container back from its compressed form. Bad data is a format error (400); the decompressed
 * size is capped, so a small body cannot inflate into gigabytes.
 */
export function decompressContainer(compressed: Uint8Array, maxDecodedBytes: number): Uint8Array {
  const codec = codecOf(compressed);
  if (typeof codec === 'number') {
    throw arrowFormatError(
      `batch_arrow names compression codec ${codec} after "${COMPRESSED_MAGIC}"; this reader knows ${CODEC_IDS.br} (brotli)`,
    );
  }
  const maxOutputLength = Math.min(maxDecodedBytes, bufferLimits.MAX_LENGTH);
  try {
    if (codec === 'gzip')
      return gunzipSync(compressed, {
        maxOutputLength,
        chunkSize: gzipOutputChunk(compressed, maxOutputLength),
      });
    return brotliDecompressSync(compressed.subarray(5), { maxOutputLength });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw arrowFormatError(`batch_arrow inflates to more than ${maxDecodedBytes} bytes`);
    }
    const name = codec === 'gzip' ? 'gzip' : 'brotli';
    throw arrowFormatError(`batch_arrow is not ${name} data (${(err as Error).message})`);
  }
}
