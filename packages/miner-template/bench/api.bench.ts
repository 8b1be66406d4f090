/**
 * HTTP overhead of the miner API, measured end to end against the deterministic fake service:
 * POST /score/alerts over real HTTP for 1 .. 50,000 alerts (JSON, and the Arrow encoding) next to
 * the fake called directly on a ready Batch, so the difference is parsing, validation, the HTTP
 * round trip and serialization. Then small requests under load with autocannon (32 connections,
 * 5 s). Run: `node --import tsx bench/api.bench.ts` from packages/miner-template.
 * Server, client and load generator share one process (and this machine's cores): figures are
 * upper bounds on overhead, not server capacity.
 */
import autocannon from 'autocannon';
import { request } from 'undici';
import { z } from 'zod';
import { requestFromBody } from '../src/api/batch-body.js';
import { ARROW_CONTENT_TYPE } from '../src/api/content-types.js';
import { createServer } from '../src/api/server.js';
import { encodeBatchArrow } from '../src/data/arrow-batch.js';
import { AlertScoresResponseSchema } from '../src/schemas/api.js';
import { makeBatchBody } from '../test/api/batches.js';
import { createFakeScoringService } from '../test/api/fake-scoring-service.js';

const SIZES = [1, 100, 10_000, 50_000];
const repetitions = (n: number) => (n <= 100 ? 200 : n <= 10_000 ? 10 : 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timeIt(reps: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function startServer(validateResponses: boolean) {
  const service = createFakeScoringService();
  const app = await createServer({ service, logger: false, config: { validateResponses } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { app, service, url: `http://127.0.0.1:${address.port}` };
}

async function post(
  url: string,
  body: string | Uint8Array,
  contentType: string,
  expected: number,
): Promise<void> {
  const res = await request(`${url}/score/alerts`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${text.slice(0, 200)}`);
  if (expected === 1 && !text.startsWith('[{')) throw new Error('unexpected body');
}

const fmt = (ms: number) => ms.toFixed(ms < 10 ? 2 : 0).padStart(8);
const rate = (n: number, ms: number) =>
  Math.round((n / ms) * 1000)
    .toLocaleString('en-US')
    .padStart(11);

async function endToEnd(): Promise<void> {
  const fast = await startServer(false);
  const checked = await startServer(true);
  console.log('POST /score/alerts, median ms per request (alerts/s)');
  console.log(
    '  alerts |  direct fake |  HTTP JSON        |  HTTP JSON, zod-checked resp. |  HTTP Arrow       | body MB JSON / Arrow',
  );
  for (const n of SIZES) {
    const body = makeBatchBody(n);
    const json = JSON.stringify(body);
    const arrow = encodeBatchArrow(body);
    const { batch } = requestFromBody(body, Number.POSITIVE_INFINITY);
    const reps = repetitions(n);
    const direct = await timeIt(reps, () => fast.service.scoreAlerts(batch));
    const httpJson = await timeIt(reps, () => post(fast.url, json, 'application/json', n));
    const httpChecked = await timeIt(reps, () => post(checked.url, json, 'application/json', n));
    const httpArrow = await timeIt(reps, () => post(fast.url, arrow, ARROW_CONTENT_TYPE, n));
    console.log(
      `${String(n).padStart(8)} | ${fmt(direct)} ${rate(n, direct)} | ${fmt(httpJson)} ${rate(n, httpJson)} | ${fmt(httpChecked)} ${rate(n, httpChecked)}              | ${fmt(httpArrow)} ${rate(n, httpArrow)} | ${(json.length / 1e6).toFixed(2)} / ${(arrow.length / 1e6).toFixed(2)}`,
    );
  }
  await fast.app.close();
  await checked.app.close();
}

async function underLoad(): Promise<void> {
  const server = await startServer(false);
  for (const n of [1, 10]) {
    const result = await autocannon({
      url: `${server.url}/score/alerts`,
      method: 'POST',
      connections: 32,
      duration: 5,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(makeBatchBody(n)),
    });
    console.log(
      `autocannon, ${n} alert(s)/request, 32 connections, 5 s: ${Math.round(result.requests.average)} req/s, ` +
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms, ` +
        `2xx ${result['2xx']}, non-2xx ${result.non2xx}, errors ${result.errors}`,
    );
  }
  await server.app.close();
}

/** The response side alone: what AML_VALIDATE_RESPONSES costs for a 50k-entry answer. */
async function serialization(): Promise<void> {
  const { batch } = requestFromBody(makeBatchBody(50_000), Number.POSITIVE_INFINITY);
  const scores = await createFakeScoringService().scoreAlerts(batch);
  const plain = await timeIt(5, async () => JSON.stringify(scores));
  const checked = await timeIt(5, async () => JSON.stringify(z.encode(AlertScoresResponseSchema, scores)));
  console.log(
    `serialize 50,000 alert scores: JSON.stringify ${plain.toFixed(0)} ms, zod-checked ${checked.toFixed(0)} ms`,
  );
}

await serialization();
await endToEnd();
await underLoad();
