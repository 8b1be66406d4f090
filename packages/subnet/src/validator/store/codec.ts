/** Row encodings shared by the stores: answers are gzip'd JSON, id lists JSON text. */
import { gunzipSync, gzipSync } from 'node:zlib';

export function packAnswer(answer: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(answer ?? null)), { level: 6 });
}

export function unpackAnswer(bytes: Uint8Array | null): unknown {
  if (!bytes) return null;
  return JSON.parse(gunzipSync(bytes).toString('utf8'));
}

export function numbers(text: string): number[] {
  return JSON.parse(text) as number[];
}
