/**
 * Scoring off the event loop, over the real `aml-miner serve` process (docs/api.md): while a large
 * batch is being scored in the worker pool, `/health` answers 200. The assertion is about order
 * (health answered before the scoring response arrived), never about a time threshold.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeBatchArrowField } from '../../src/data/arrow-container.js';
import { generateBatch } from '../../src/synthetic/generate.js';
import { type ServeProcess, startServeProcess } from './serve-process.js';

describe('aml-miner serve --workers 2', () => {
  let server: ServeProcess;
  beforeAll(async () => {
    server = await startServeProcess({ AML_WORKERS: '2' });
  }, 120_000);
  afterAll(() => {
    server?.child.kill('SIGTERM');
  });

  it('says in its ready line that it scores in worker threads', async () => {
    // the ready line follows "Server listening", which is what startServeProcess waits for
    const ready = await vi.waitFor(() => {
      const line = server.logs.find((l) => String(l.msg).startsWith('aml-miner API ready'));
      if (line === undefined) throw new Error('no ready line yet');
      return line;
    });
    expect(ready.workers).toBe(2);
  });

  it('answers /health while a 20,000-alert batch is being scored', async () => {
    const { batch } = generateBatch({ date: '2026-02-03', alerts: 20_000, seed: 5 });
    const body = JSON.stringify({ batch_arrow: encodeBatchArrowField(batch) });
    let scoredAt: number | undefined;
    const scoring = request(`${server.url}/score/alerts`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    }).then(async (res) => {
      const scores = (await res.body.json()) as unknown[];
      scoredAt = performance.now();
      return { status: res.statusCode, count: scores.length };
    });

    // once the server has logged the scoring request, ask for /health until one answer arrives
    // while the scoring response is still outstanding
    const scoringLogged = () =>
      server.logs.some((l) => (l.req as { url?: string } | undefined)?.url === '/score/alerts');
    let healthyDuringScoring = false;
    while (scoredAt === undefined && !healthyDuringScoring) {
      if (!scoringLogged()) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      const res = await request(`${server.url}/health`);
      const health = (await res.body.json()) as { status: string };
      healthyDuringScoring = scoredAt === undefined && res.statusCode === 200 && health.status === 'healthy';
    }
    const scored = await scoring;
    expect(scored).toEqual({ status: 200, count: 20_000 });
    expect(healthyDuringScoring).toBe(true);
  }, 300_000);
});
