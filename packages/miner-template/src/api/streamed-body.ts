/**
 * A scoring body the main thread does not parse: the request stream itself, handed to the scoring
 * pool chunk by chunk (a JSON body is read there by StreamedRequest as it arrives, an Arrow
 * container is gathered there and decoded), so a 400 MB body is never whole in the main thread's
 * memory nor its event loop, and no decoded batch is copied between threads. The body limit and
 * the Content-Length check are Fastify's, with Fastify's errors (error-handler.ts: 413 / 400).
 */
import type { Readable } from 'node:stream';
import { errorCodes } from 'fastify';
import type { DeferredStream, StreamFormat } from '../models/scoring-service.js';

export class StreamedBody implements DeferredStream {
  /** Options travel inside the body; the worker reads them (scoring-worker.ts). */
  readonly options = {};

  constructor(
    readonly format: StreamFormat,
    private readonly payload: Readable,
    private readonly bodyLimit: number,
    readonly contentLength: number,
    readonly maxDecodedBytes: number,
  ) {}

  /** The body's bytes as they arrive; throws at the body limit or a Content-Length mismatch. */
  async *chunks(): AsyncIterable<Uint8Array> {
    let received = 0;
    // stopping early must not destroy the request: that would close the socket the error goes out
    // on; Node discards the unread rest once the response is sent, as after Fastify's own refusal
    for await (const chunk of this.payload.iterator({ destroyOnReturn: false })) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      received += bytes.length;
      if (received > this.bodyLimit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
      yield bytes;
    }
    if (!Number.isNaN(this.contentLength) && received !== this.contentLength) {
      throw new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH();
    }
  }
}
