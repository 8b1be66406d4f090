/**
 * Graceful shutdown: a request in flight when the server is told to close still completes with its
 * answer; new connections are refused; a request outliving the timeout is cut off.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { closeGracefully, installShutdownHandlers } from '../../src/api/shutdown.js';
import { makeBatchBody } from './batches.js';
import { createFakeScoringService } from './fake-scoring-service.js';
import { startServer } from './harness.js';

describe('graceful shutdown', () => {
  it('drains an in-flight request, then refuses new connections', async () => {
    const service = createFakeScoringService({ delayMs: 400 });
    const server = await startServer({ service });
    const inFlight = server.post('/score/alerts', makeBatchBody(3));
    // wait until the handler is running (the fake counts calls before its delay)
    while (service.calls === 0) await new Promise((r) => setTimeout(r, 5));
    const result = await closeGracefully(server.app, 5000);
    expect(result.drained).toBe(true);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect((res.json() as unknown[]).length).toBe(3);
    await expect(request(`${server.base}/health`)).rejects.toThrow();
  });

  it('cuts requests that outlive the timeout', async () => {
    const service = createFakeScoringService({ delayMs: 3000 });
    const server = await startServer({ service });
    const inFlight = server.post('/score/alerts', makeBatchBody(1)).then(
      () => 'answered',
      () => 'cut',
    );
    while (service.calls === 0) await new Promise((r) => setTimeout(r, 5));
    const result = await closeGracefully(server.app, 100);
    expect(result.drained).toBe(false);
    expect(await inFlight).toBe('cut');
  });

  it('SIGTERM closes the server and exits 0 once drained', async () => {
    const service = createFakeScoringService({ delayMs: 200 });
    const server = await startServer({ service });
    const exits: number[] = [];
    let closedWith: boolean | undefined;
    const done = new Promise<void>((resolve) => {
      const remove = installShutdownHandlers(server.app, {
        timeoutMs: 5000,
        signals: ['SIGUSR2'],
        onClosed: (r) => {
          closedWith = r.drained;
        },
        exit: (code) => {
          exits.push(code);
          remove();
          resolve();
        },
      });
    });
    const inFlight = server.post('/score/alerts', makeBatchBody(2));
    while (service.calls === 0) await new Promise((r) => setTimeout(r, 5));
    process.kill(process.pid, 'SIGUSR2');
    await done;
    expect((await inFlight).status).toBe(200);
    expect(closedWith).toBe(true);
    expect(exits).toEqual([0]);
  });
});
