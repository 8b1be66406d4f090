/**
 * Feature coverage on the real server with the shipped models (docs/api.md): a batch from a producer
 * that fills only the core columns gets an `x-aml-feature-coverage` header below 0.8 and a
 * warning in the request log naming the missing column groups; a full upstream table gets a
 * header near 1 and no warning. The server runs as its own process so the test reads the log
 * exactly as an operator would.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureTableToRows } from '../../src/data/feature-table.js';
import { generateForeignBatch } from '../../src/foreign/index.js';
import { type ServeProcess, startServeProcess } from './serve-process.js';

type Server = ServeProcess;

function body(featureColumns: 'core' | 'all') {
  const { batch } = generateForeignBatch({
    seed: 31,
    date: '2026-04-02',
    alerts: 200,
    style: { featureColumns },
  });
  return JSON.stringify({
    alerts: batch.alerts,
    features: featureTableToRows(batch.features),
    clusters: batch.clusters,
    money_flows: batch.money_flows,
  });
}

async function post(server: Server, route: string, payload: string, id: string) {
  const res = await request(`${server.url}${route}`, {
    method: 'POST',
    body: payload,
    headers: { 'content-type': 'application/json', 'x-request-id': id },
  });
  await res.body.text();
  return res;
}

const coverageLines = (server: Server, id: string) =>
  server.logs.filter((l) => l.reqId === id && typeof l.feature_coverage === 'number');

describe('feature coverage on the real server', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServeProcess({ AML_LOG_LEVEL: 'info' });
  }, 120_000);
  afterAll(() => {
    server?.child.kill('SIGTERM');
  });

  it('reports low coverage and warns, naming the missing groups, for a core-columns-only batch', async () => {
    const res = await post(server, '/score/alerts', body('core'), 'core-only-1');
    expect(res.statusCode).toBe(200);
    const header = Number(res.headers['x-aml-feature-coverage']);
    expect(header).toBeGreaterThan(0);
    expect(header).toBeLessThan(0.8);
    await new Promise((r) => setTimeout(r, 200)); // let the log line arrive
    const [line] = coverageLines(server, 'core-only-1');
    expect(line).toBeDefined();
    expect(line.level).toBe(40); // pino's warn
    expect(line.feature_coverage).toBe(header);
    // the core set lacks whole non-core groups, e.g. distribution and advanced_flow
    expect(line.missing_groups).toEqual(expect.arrayContaining(['distribution', 'advanced_flow']));
    expect(String(line.msg)).toContain('distribution');
  });

  it('reports near-full coverage without a warning for the full upstream table', async () => {
    for (const route of ['/score/alerts', '/rank/alerts', '/score/clusters']) {
      const id = `full-${route.replaceAll('/', '-')}`;
      const res = await post(server, route, body('all'), id);
      expect(res.statusCode).toBe(200);
      expect(Number(res.headers['x-aml-feature-coverage'])).toBeGreaterThanOrEqual(0.95);
      await new Promise((r) => setTimeout(r, 200));
      const [line] = coverageLines(server, id);
      expect(line?.level).toBe(30); // info
    }
  });
});
