/**
 * Reads a byte stream into one Buffer, refusing to hold more than `maxBytes`: both ends of the
 * protocol use it so a peer cannot make us buffer an unbounded body. Past the cap the stream is
 * destroyed by default, so the peer cannot keep us reading either; a server that still owes the
 * peer an answer pauses it instead and discards the rest itself (`discardBounded`), because
 * destroying a request's socket also destroys the 413 written to it. Past the cap it rejects with
 * AML_ERR_PROTOCOL_TOO_LARGE, which each end maps to its own answer.
 */
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { amlError, ERRORS } from '../errors.js';

export interface ReadCappedOptions {
  /** What to do with the stream past the cap: destroy it (default) or leave it paused. */
  onExceed?: 'destroy' | 'pause';
}

export function readCapped(
  stream: Readable,
  maxBytes: number,
  options: ReadCappedOptions = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buf.length;
      if (total > maxBytes) {
        cleanup();
        if (options.onExceed === 'pause') stream.pause();
        else {
          // Destroying a body mid-stream makes some streams (undici's) emit an abort error of
          // their own: it is expected here, and must not surface as an uncaught exception.
          stream.on('error', () => {});
          stream.destroy();
        }
        reject(amlError(ERRORS.AML_ERR_PROTOCOL_TOO_LARGE, [maxBytes], { maxBytes }));
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('the stream closed before its end'));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/**
 * Reads and throws away the rest of a request after its answer was written, so a client that
 * sends its whole body before reading (Python's http.client, aiohttp) receives that answer instead
 * of a connection reset. Bounded: past `maxBytes` more, or `maxMs`, the socket is destroyed.
 */
export function discardBounded(stream: Readable, socket: Socket, maxBytes: number, maxMs: number): void {
  let seen = 0;
  const done = () => {
    clearTimeout(timer);
    stream.off('data', onData);
  };
  const giveUp = () => {
    done();
    socket.destroy();
  };
  const onData = (chunk: Buffer | string) => {
    seen += chunk.length;
    if (seen > maxBytes) giveUp();
  };
  const timer = setTimeout(giveUp, maxMs);
  timer.unref();
  stream.on('data', onData);
  stream.once('end', done);
  stream.once('close', done);
  stream.resume();
}
