import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCapped } from './read-capped.js';

/** A body that, like undici's, errors when it is destroyed before its end. */
function abortingBody(chunks: Buffer[]): Readable {
  return new Readable({
    read() {
      const next = chunks.shift();
      this.push(next ?? null);
    },
    destroy(_err, cb) {
      cb(new Error('Request aborted'));
    },
  });
}

describe('readCapped', () => {
  it('reads a body within the cap whole', async () => {
    const body = await readCapped(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4);
    expect(body.toString()).toBe('abcd');
  });

  it('refuses a body over the cap, and the stream abort that follows is not an uncaught error', async () => {
    const stream = abortingBody([Buffer.alloc(3), Buffer.alloc(3), Buffer.alloc(3)]);
    await expect(readCapped(stream, 5)).rejects.toMatchObject({
      code: 'AML_ERR_PROTOCOL_TOO_LARGE',
      status: 413,
      message: 'body exceeds 5 bytes',
      details: { maxBytes: 5 },
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(stream.destroyed).toBe(true);
  });

  it('leaves the stream paused, not destroyed, when told to', async () => {
    const stream = abortingBody([Buffer.alloc(3), Buffer.alloc(3), Buffer.alloc(3)]);
    await expect(readCapped(stream, 5, { onExceed: 'pause' })).rejects.toMatchObject({
      code: 'AML_ERR_PROTOCOL_TOO_LARGE',
    });
    expect(stream.destroyed).toBe(false);
    expect(stream.isPaused()).toBe(true);
  });
});
