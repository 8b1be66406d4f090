/**
 * A body streamed into a busy pool waits in the socket, not in memory: the main thread sends at
 * most STREAM_WINDOW_BYTES (plus one chunk) that the worker has not read. A one-worker pool is kept
 * busy by a first body that does not end; a second body queued behind it must stop being pulled.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeferredStream } from '../../models/scoring-service.js';
import { STREAM_WINDOW_BYTES } from './worker-protocol.js';
import { WorkerScoringService } from './worker-scoring-service.js';

const MODELS = fileURLToPath(new URL('../../../../../trained_models', import.meta.url));
const CHUNK = 64 * 1024;

let pool: WorkerScoringService;
beforeAll(async () => {
  pool = await WorkerScoringService.create({ load: { modelsDir: MODELS }, workers: 1, warm: false });
}, 60_000);
afterAll(async () => {
  await pool?.close();
});

/** A JSON body that keeps coming until `stop()`, counting what was pulled from it. */
function endlessBody() {
  let stopped = false;
  const state = { pulled: 0, stop: () => {} };
  const stop = new Promise<void>((resolve) => {
    state.stop = () => {
      stopped = true;
      resolve();
    };
  });
  const body: DeferredStream = {
    format: 'json',
    contentLength: Number.NaN,
    maxDecodedBytes: 1 << 30,
    async *chunks() {
      yield new TextEncoder().encode('{"alerts":[');
      while (!stopped) {
        state.pulled += CHUNK;
        yield new Uint8Array(CHUNK).fill(0x20); // whitespace: valid JSON so far
        await Promise.race([stop, new Promise((r) => setTimeout(r, 0))]);
      }
      throw new Error('stopped');
    },
  };
  return { body, state };
}

describe('the stream window', () => {
  it('stops pulling a queued body once STREAM_WINDOW_BYTES are unread', async () => {
    const first = endlessBody();
    const second = endlessBody();
    const a = pool.scoreDeferred('scoreAlerts', first.body, {}).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 300)); // the first body holds the only worker
    const b = pool.scoreDeferred('scoreAlerts', second.body, {}).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 1_000));
    // the worker reads the first body as it comes, so it is pulled on; the second waits
    expect(first.state.pulled).toBeGreaterThan(2 * STREAM_WINDOW_BYTES);
    expect(second.state.pulled).toBeGreaterThan(0);
    expect(second.state.pulled).toBeLessThanOrEqual(STREAM_WINDOW_BYTES + CHUNK);
    first.state.stop();
    second.state.stop();
    expect(await a).toBeInstanceOf(Error);
    expect(await b).toBeInstanceOf(Error);
  }, 60_000);
});
