/**
 * A JSON body streamed unparsed into the scoring pool (a server with workers) answers exactly as
 * the same body parsed on the main thread (a server scoring in-process, Fastify's JSON parser):
 * the same scores and explanations bit for bit, the same coverage header, and for bad bodies the
 * same status and error body (malformed JSON, schema and integrity errors, the body limit, a
 * Content-Length that lies).
 */
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARROW_CONTENT_TYPE } from '../../src/api/content-types.js';
import { WorkerScoringService } from '../../src/api/scoring-pool/index.js';
import { encodeBatchContainer } from '../../src/data/arrow-container.js';
import { featureTableToRows } from '../../src/data/feature-table.js';
import { createModelScoringService } from '../../src/models/index.js';
import { generateBatch } from '../../src/synthetic/generate.js';
import { type Running, startServer } from './harness.js';

const MODELS = fileURLToPath(new URL('../../../../trained_models', import.meta.url));
// small enough that a 2,000-alert body is over it, so the 413 path is exercised without 200 MB
const config = { bodyLimitMb: 1 };

let inProcess: Running;
let pooled: Running;
beforeAll(async () => {
  inProcess = await startServer({ service: await createModelScoringService({ modelsDir: MODELS }), config });
  pooled = await startServer({
    service: await WorkerScoringService.create({ load: { modelsDir: MODELS }, workers: 1 }),
    config,
  });
}, 120_000);
afterAll(async () => {
  await pooled?.close();
  await inProcess?.close();
});

/** latency_ms is wall time, the one field that may differ between two runs. */
function withoutLatency(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  if (!Array.isArray(value)) return value;
  return value.map((r: Record<string, unknown>) => ({ ...r, latency_ms: undefined }));
}

const zeroLatency = (text: string) => text.replace(/"latency_ms":[^,}]+/g, '"latency_ms":0');

async function both(
  path: string,
  body: string | Uint8Array,
  headers = { 'content-type': 'application/json' },
) {
  const [a, b] = await Promise.all([inProcess.post(path, body, headers), pooled.post(path, body, headers)]);
  expect(b.status, b.text).toBe(a.status);
  expect(withoutLatency(b.text)).toEqual(withoutLatency(a.text));
  expect(b.headers['x-aml-feature-coverage']).toBe(a.headers['x-aml-feature-coverage']);
  // the pool serializes answers in its worker: the same content type, and with latency_ms (the
  // one wall-time field) zeroed, the same bytes
  expect(b.headers['content-type']).toBe(a.headers['content-type']);
  expect(zeroLatency(b.text)).toBe(zeroLatency(a.text));
  return a;
}

describe('a JSON body streamed into the scoring pool', () => {
  const { batch } = generateBatch({
    network: 'torus',
    date: '2026-01-01',
    windowDays: 7,
    alerts: 60,
    seed: 11,
  });
  const wire = {
    alerts: batch.alerts,
    features: featureTableToRows(batch.features),
    clusters: batch.clusters,
    money_flows: batch.money_flows,
  };

  it('scores, explains, ranks and scores clusters exactly as the main-thread parse does', async () => {
    const text = JSON.stringify(wire);
    const scored = await both('/score/alerts', text);
    expect(scored.status).toBe(200);
    expect(
      (scored.json() as { explain_json?: string }[]).every((r) => typeof r.explain_json === 'string'),
    ).toBe(true);
    await both('/rank/alerts', text);
    await both('/score/clusters', text);
    const plain = await both('/score/alerts', JSON.stringify({ ...wire, explain: false }));
    expect((plain.json() as { explain_json?: string }[]).every((r) => r.explain_json === undefined)).toBe(
      true,
    );
    await both('/score/alerts?explain=false', text);
  }, 120_000);

  it('an Arrow container body, streamed and decoded in the worker, answers as decoded on the main thread', async () => {
    const arrow = { 'content-type': ARROW_CONTENT_TYPE };
    const container = encodeBatchContainer(batch);
    expect((await both('/score/alerts', container, arrow)).status).toBe(200);
    await both('/score/alerts?explain=false', container, arrow);
    await both('/score/clusters', container, arrow);
    const broken = container.slice(0, container.length - 100);
    expect((await both('/score/alerts', broken, arrow)).status).toBe(400);
  }, 120_000);

  it('refuses bad bodies with the same status and error body', async () => {
    const bad = [
      '',
      '{"alerts": [',
      '{"alerts": [{"alert_id": "a", "address": "x"}],}',
      '{"__proto__": {"x": 1}, "alerts": []}',
      JSON.stringify({ alerts: [{ alert_id: 'a' }, { address: 'x', volume_usd: 'lots' }] }),
      JSON.stringify({
        alerts: [
          { alert_id: 'a', address: 'x' },
          { alert_id: 'a', address: 'y' },
        ],
      }),
      JSON.stringify({ ...wire, explain: 'no' }),
      JSON.stringify({ ...wire, batch_arrow: 'AAAA' }),
      JSON.stringify({ batch_arrow: 'not base64!' }),
      '[1, 2, 3]',
    ];
    for (const body of bad) {
      const answer = await both('/score/alerts', body);
      expect(answer.status, body).toBeGreaterThanOrEqual(400);
      expect(answer.status, body).toBeLessThan(500);
    }
  }, 60_000);

  it('answers 413 naming the limit for a body over it, declared or streamed', async () => {
    const big = JSON.stringify(
      generateBatch({ network: 'torus', date: '2026-01-01', windowDays: 7, alerts: 2_000, seed: 1 }).batch,
    );
    expect((await both('/score/alerts', big)).status).toBe(413);
    // chunked: no Content-Length, so the limit is found while streaming
    const chunked = async (base: string) => {
      const { port } = new URL(base);
      return new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            'POST /score/alerts HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n',
          );
          for (let i = 0; i < big.length; i += 65_536) {
            const part = big.slice(i, i + 65_536);
            socket.write(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
          }
          socket.write('0\r\n\r\n');
        });
        let text = '';
        socket.on('data', (d) => {
          text += String(d);
        });
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    };
    const [a, b] = await Promise.all([chunked(inProcess.base), chunked(pooled.base)]);
    const status = (t: string) => t.split('\r\n')[0];
    const body = (t: string) => t.slice(t.lastIndexOf('{"error"'), t.lastIndexOf('}') + 1);
    expect(status(b)).toBe(status(a));
    expect(status(a)).toContain('413');
    expect(body(b)).toEqual(body(a));
  }, 60_000);
});
