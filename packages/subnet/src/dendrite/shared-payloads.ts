/**
 * The part of a query's request bodies every axon shares: the synapse's input fields serialised
 * once, and, only when some axon asked for them, the same with a brotli `batch_arrow` (transcoded
 * from the gzip one once per query) and each gzip-compressed once as a gzip member. Per axon only
 * the small envelope is encoded (and compressed) before it.
 */
import { constants as bufferLimits } from 'node:buffer';
import { unwrapBatchArrowField, wrapBatchArrowField } from '@aml/miner-template/data';
import { synapseBodyHash } from '../protocol/body-hash.js';
import { encodePayloadFields } from '../protocol/codec.js';
import { gzipMember } from '../protocol/content-coding.js';
import type { AmlScoringSynapse } from '../protocol/synapse.js';
import type { AxonCodecs } from './axon-codecs.js';

export interface PreparedBody {
  /** `,{payload fields}}`: the body after the envelope. */
  payload: Buffer;
  bodyHash: string;
  /** The payload as one gzip member, when the axon takes gzip bodies. */
  gzipped?: Buffer;
}

interface Variant {
  plain: Promise<{ payload: Buffer; bodyHash: string }>;
  gzipped?: Promise<Buffer>;
}

export class SharedPayloads {
  private readonly variants = new Map<'gzip' | 'br', Variant>();

  constructor(private readonly base: AmlScoringSynapse) {
    // The default variant is built now, as before: most queries need nothing else.
    this.variants.set('gzip', { plain: Promise.resolve(this.encode(base)) });
  }

  /** The body parts for an axon with these codecs (shared between axons, built on first use). */
  async forAxon(codecs: AxonCodecs): Promise<PreparedBody> {
    const variant = this.variant(codecs.brotliBatch && this.base.batch_arrow ? 'br' : 'gzip');
    const plain = await variant.plain;
    if (!codecs.gzipBody) return plain;
    variant.gzipped ??= variant.plain.then((p) => gzipMember(p.payload));
    return { ...plain, gzipped: await variant.gzipped };
  }

  private variant(codec: 'gzip' | 'br'): Variant {
    let variant = this.variants.get(codec);
    if (!variant) {
      // A batch_arrow this dendrite cannot transcode (a caller's own, malformed) goes as it came.
      const fallback = (this.variants.get('gzip') as Variant).plain;
      variant = {
        plain: this.brotliSynapse().then(
          (s) => this.encode(s),
          () => fallback,
        ),
      };
      this.variants.set(codec, variant);
    }
    return variant;
  }

  private async brotliSynapse(): Promise<AmlScoringSynapse> {
    // Our own field: the cap only guards against a container past what a Buffer can hold.
    const container = unwrapBatchArrowField(this.base.batch_arrow as string, bufferLimits.MAX_LENGTH);
    return { ...this.base, batch_arrow: await wrapBatchArrowField(container, 'br') };
  }

  private encode(synapse: AmlScoringSynapse): { payload: Buffer; bodyHash: string } {
    const text = encodePayloadFields({
      ...synapse,
      scores: null,
      miner_id: null,
      model_version: null,
      error: null,
    });
    // Hashing a compact batch (13 MB at 10,000 alerts) once per variant, not once per axon.
    return { payload: Buffer.from(`,${text}}`), bodyHash: synapseBodyHash(synapse) };
  }
}
