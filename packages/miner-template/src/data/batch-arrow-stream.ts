/**
 * The `batch_arrow` field decoded as its text arrives: base64 to bytes, bytes through the
 * decompressor (gzip, or brotli behind "AMLZ": arrow-compression.ts), the container through
 * ContainerFrameReader, so the field's text, its compressed bytes and the whole container are never
 * held at once (at 50,000 alerts: 65 MB, 49 MB and 141 MB, which with the decoded tables took the
 * miner API's peak over a gigabyte: docs/api.md, "Memory").
 *
 * The outcome is unwrapBatchArrowField + decodeBatchArrow's for the same text: the same tables, and
 * for bad input the same error. Each layer keeps its first error and stops feeding the next; the
 * whole-field path checks the entire text as base64 before it decompresses anything, and
 * decompresses everything before it reads the container, so the outermost layer's error wins.
 * One exception: a field both cut short and inflating past the cap may be refused for either
 * reason (zlib meets them in an order that depends on how its output is cut into pieces).
 */
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import type { DecodedArrowBatch } from './arrow-batch.js';
import { CODEC_IDS, COMPRESSED_MAGIC, codecOf } from './arrow-compression.js';
import { arrowFormatError } from './arrow-format-error.js';
import { ContainerFrameReader } from './container-frames.js';

const NOT_BASE64 = 'batch_arrow is not base64 (standard alphabet, padded to a multiple of 4)';
const EQUALS = 0x3d;
/** A character's 6 bits in the standard base64 alphabet, -1 outside it (`=` is padding, apart). */
const SEXTET = new Int8Array(256).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach((c, i) => {
  SEXTET[c.charCodeAt(0)] = i;
});

type Inflater = ReturnType<typeof createGunzip> | ReturnType<typeof createBrotliDecompress>;

export class BatchArrowStream {
  private textLength = 0;
  private padding = 0;
  /** Base64 characters not yet decoded (fewer than 4). */
  private readonly quad = new Uint8Array(4);
  private quadLength = 0;
  /** Decoded bytes held until the codec is known (its first 5 bytes). */
  private head: Uint8Array[] = [];
  private headLength = 0;
  private inflater: Inflater | undefined;
  private codecName = 'gzip';
  private inflated: Promise<void> | undefined;
  private output = 0;
  private base64Error: Error | undefined;
  private inflateError: Error | undefined;
  private readonly frames: ContainerFrameReader;

  constructor(private readonly maxDecodedBytes: number) {
    this.frames = new ContainerFrameReader(maxDecodedBytes);
  }

  /** The next characters of the field, as ASCII bytes (valid only during the call). */
  write(text: Uint8Array): void {
    if (this.base64Error !== undefined) return;
    if (!this.isBase64(text)) {
      this.refuse();
      return;
    }
    this.textLength += text.length;
    const out = this.decodeQuads(text);
    if (out.length > 0) this.decoded(out);
  }

  /**
   * The bytes of the whole quads in `text` (with the characters left over before it), decoded
   * here rather than through a string per chunk: 65 MB of text at 50,000 alerts would otherwise
   * become as many MB of short-lived strings. `=` can only be in the last quad (isBase64).
   */
  private decodeQuads(text: Uint8Array): Uint8Array {
    const quad = this.quad;
    const out = new Uint8Array(Math.floor((this.quadLength + text.length) / 4) * 3);
    let q = this.quadLength;
    let o = 0;
    for (let i = 0; i < text.length; i++) {
      quad[q++] = text[i];
      if (q < 4) continue;
      q = 0;
      const a = SEXTET[quad[0]];
      const b = SEXTET[quad[1]];
      out[o++] = (a << 2) | (b >> 4);
      if (quad[2] === EQUALS) continue;
      const c = SEXTET[quad[2]];
      out[o++] = ((b & 15) << 4) | (c >> 2);
      if (quad[3] === EQUALS) continue;
      out[o++] = ((c & 3) << 6) | SEXTET[quad[3]];
    }
    this.quadLength = q;
    return out.subarray(0, o);
  }

  /** The decoded tables, or the first error of the outermost layer that failed. */
  async finish(): Promise<DecodedArrowBatch> {
    if (this.base64Error === undefined && (this.textLength % 4 !== 0 || this.textLength === 0)) this.refuse();
    if (this.base64Error !== undefined) throw this.base64Error;
    // fewer than 5 bytes in all: the codec is picked from what there is
    if (this.inflater === undefined && this.inflateError === undefined) this.startInflating();
    this.inflater?.end();
    await this.inflated;
    if (this.inflateError !== undefined) throw this.inflateError;
    return this.frames.finish();
  }

  /** Stops decoding: the field was replaced by a later member of the same name, or the body failed. */
  abort(): void {
    this.inflater?.destroy();
    this.inflater = undefined;
    this.base64Error ??= arrowFormatError('batch_arrow was abandoned');
  }

  /** The alphabet, and `=` only at the end, at most twice (the length is checked at the end). */
  private isBase64(text: Uint8Array): boolean {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === EQUALS) this.padding++;
      else if (this.padding > 0 || SEXTET[c] === -1) return false;
    }
    return this.padding <= 2;
  }

  private refuse(): void {
    this.base64Error = arrowFormatError(NOT_BASE64);
    this.inflater?.destroy();
    this.inflater = undefined;
    this.head = [];
  }

  private decoded(bytes: Uint8Array): void {
    if (this.inflater !== undefined) {
      if (this.inflateError === undefined) this.inflater.write(bytes);
      return;
    }
    if (this.inflateError !== undefined) return;
    this.head.push(bytes);
    this.headLength += bytes.length;
    if (this.headLength >= 5) this.startInflating();
  }

  /** Picks the codec from the first bytes, as codecOf does for the whole buffer, and starts it. */
  private startInflating(): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    const codec = codecOf(head);
    if (typeof codec === 'number') {
      this.inflateError = arrowFormatError(
        `batch_arrow names compression codec ${codec} after "${COMPRESSED_MAGIC}"; this reader knows ${CODEC_IDS.br} (brotli)`,
      );
      return;
    }
    this.codecName = codec === 'gzip' ? 'gzip' : 'brotli';
    const inflater = codec === 'gzip' ? createGunzip() : createBrotliDecompress();
    this.inflater = inflater;
    this.inflated = new Promise<void>((resolve) => {
      inflater.on('data', (chunk: Buffer) => this.inflatedChunk(chunk));
      inflater.on('error', (err) => {
        this.inflateError ??= arrowFormatError(`batch_arrow is not ${this.codecName} data (${err.message})`);
        resolve();
      });
      inflater.on('end', resolve);
      inflater.on('close', resolve);
    });
    inflater.write(codec === 'gzip' ? head : head.subarray(5));
  }

  private inflatedChunk(chunk: Buffer): void {
    if (this.inflateError !== undefined) return;
    this.output += chunk.length;
    if (this.output > this.maxDecodedBytes) {
      this.inflateError = arrowFormatError(`batch_arrow inflates to more than ${this.maxDecodedBytes} bytes`);
      this.inflater?.destroy();
      this.inflater = undefined;
      return;
    }
    this.frames.push(chunk);
  }
}
