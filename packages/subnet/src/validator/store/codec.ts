/** Row encodings shared by the stores: answers and plans are gzip'd JSON, id lists JSON text. */
import { gunzipSync, gzipSync } from 'node:zlib';

export function packJson(value: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(value ?? null)), { level: 6 });
}

export function unpackJson(bytes: Uint8Array | null | undefined): unknown {
  if (!bytes) return null;
  return JSON.parse(gunzipSync(bytes).toString('utf8'));
}

export const packAnswer = packJson;
export const unpackAnswer = unpackJson;

export function numbers(text: string): number[] {
  return JSON.parse(text) as number[];
}
