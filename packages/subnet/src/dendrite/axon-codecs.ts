/**
 * What the dendrite has learned about each axon's compression from its last answer (RFC 7694):
 * whether it takes gzip request bodies (`Accept-Encoding` on its answers) and whether its miner
 * API reads the brotli `batch_arrow` (`aml-batch-arrow-codecs`). Every answer replaces what was
 * known, so an axon that stops advertising gets plain requests from the next one on. Bounded: the
 * oldest axon is forgotten first, and forgetting only costs bytes.
 */
import { BATCH_CODECS_HEADER, parseCodingList } from '../protocol/content-coding.js';

export interface AxonCodecs {
  /** Request bodies may be sent with `Content-Encoding: gzip`. */
  gzipBody: boolean;
  /** `batch_arrow` may be brotli ("AMLZ", codec 1) instead of gzip. */
  brotliBatch: boolean;
}

export const PLAIN: AxonCodecs = Object.freeze({ gzipBody: false, brotliBatch: false });

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export function codecsFromHeaders(headers: Headers): AxonCodecs {
  return {
    gzipBody: parseCodingList(headers['accept-encoding']).has('gzip'),
    brotliBatch: parseCodingList(headers[BATCH_CODECS_HEADER]).has('br'),
  };
}

export class AxonCodecMemory {
  private readonly known = new Map<string, AxonCodecs>();

  constructor(private readonly capacity = 10_000) {}

  get(key: string): AxonCodecs {
    return this.known.get(key) ?? PLAIN;
  }

  learn(key: string, headers: Headers): void {
    const codecs = codecsFromHeaders(headers);
    this.known.delete(key);
    if (!codecs.gzipBody && !codecs.brotliBatch) return;
    this.known.set(key, codecs);
    if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value as string);
  }

  forget(key: string): void {
    this.known.delete(key);
  }
}
