/**
 * Reads a byte stream into one Buffer, refusing to hold more than `maxBytes`: both ends of the
 * protocol use it so a peer cannot make us buffer an unbounded body. The stream is destroyed when
 * the cap is exceeded, so the peer cannot keep us reading either.
 */
import type { Readable } from 'node:stream';

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`body exceeds ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export async function readCapped(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buf.length;
    if (total > maxBytes) {
      stream.destroy();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(buf);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}
