/**
 * What the dendrite has learned about each axon's compression from its last answer (RFC 7694):
 * whether it takes gzip request bodies (`Accept-Encoding` on its answers) and whether its miner
 * API reads the brotli `batch_arrow` (`aml-batch-arrow-codecs`). Every answer replaces what was
 * known, so an axon that stops advertising gets plain requests from the next one on. Known per
 * hotkey at one axon address: an axon that moves starts plain again. Bounded: the oldest axon is
 * forgotten first, and forgetting only costs bytes. A listener hears every change, so the
 * validator can keep them in its store and start its first cycle after a restart compressed.
 */
import { BATCH_CODECS_HEADER, parseCodingList } from '../protocol/content-coding.js';

export interface AxonCodecs {
  /** Request bodies may be sent with `Content-Encoding: gzip`. */
  gzipBody: boolean;
  /** `batch_arrow` may be brotli ("AMLZ", codec 1) instead of gzip. */
  brotliBatch: boolean;
}

export const PLAIN: AxonCodecs = Object.freeze({ gzipBody: false, brotliBatch: false });

/** One axon's codecs as kept: its hotkey and its address (`ip:port`) when they were learned. */
export interface KnownAxonCodecs extends AxonCodecs {
  hotkey: string;
  address: string;
}

/** Hears each change: the axon's new codecs, or `forgotten` (back to plain). */
export type CodecChangeListener = (
  change: KnownAxonCodecs | { hotkey: string; forgotten: true },
) => void | Promise<void>;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export function codecsFromHeaders(headers: Headers): AxonCodecs {
  return {
    gzipBody: parseCodingList(headers['accept-encoding']).has('gzip'),
    brotliBatch: parseCodingList(headers[BATCH_CODECS_HEADER]).has('br'),
  };
}

const isPlain = (c: AxonCodecs) => !c.gzipBody && !c.brotliBatch;

export class AxonCodecMemory {
  private readonly known = new Map<string, KnownAxonCodecs>();

  constructor(
    private readonly capacity = 10_000,
    private readonly onChange?: CodecChangeListener,
  ) {}

  /** Restores what a store kept (no listener call: nothing changed). */
  seed(entries: Iterable<KnownAxonCodecs>): void {
    for (const e of entries) if (!isPlain(e)) this.remember(e);
  }

  get(hotkey: string, address: string): AxonCodecs {
    const k = this.known.get(hotkey);
    return k !== undefined && k.address === address
      ? { gzipBody: k.gzipBody, brotliBatch: k.brotliBatch }
      : PLAIN;
  }

  /** What this answer's headers advertise replaces what was known; the listener hears a change. */
  async learn(hotkey: string, address: string, headers: Headers): Promise<void> {
    const codecs = codecsFromHeaders(headers);
    const before = this.known.get(hotkey);
    if (isPlain(codecs)) return this.forget(hotkey);
    const entry = { hotkey, address, ...codecs };
    this.remember(entry);
    const same =
      before !== undefined &&
      before.address === address &&
      before.gzipBody === codecs.gzipBody &&
      before.brotliBatch === codecs.brotliBatch;
    if (!same) await this.onChange?.(entry);
  }

  async forget(hotkey: string): Promise<void> {
    if (!this.known.delete(hotkey)) return;
    await this.onChange?.({ hotkey, forgotten: true });
  }

  private remember(entry: KnownAxonCodecs): void {
    this.known.delete(entry.hotkey);
    this.known.set(entry.hotkey, entry);
    if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value as string);
  }
}
