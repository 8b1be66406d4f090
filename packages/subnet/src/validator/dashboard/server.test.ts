import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillStoreWithCycles } from '../../../test/validator/support/dashboard-fixture.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { DashboardStore } from './data.js';
import { type DashboardServer, historyCount, startDashboard } from './server.js';

/** A GET with a chosen Host header (fetch forbids setting it). */
function get(server: DashboardServer, path: string, init: { host?: string; method?: string } = {}) {
  return new Promise<{ status: number; type: string; body: string; headers: Record<string, unknown> }>(
    (done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path,
          method: init.method ?? 'GET',
          headers: { host: init.host ?? `127.0.0.1:${server.port}` },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () =>
            done({
              status: res.statusCode!,
              type: String(res.headers['content-type']),
              body,
              headers: res.headers,
            }),
          );
        },
      );
      req.on('error', fail).end();
    },
  );
}

describe('dashboard server', () => {
  const store = new SqliteStore(':memory:');
  let server: DashboardServer;
  beforeAll(async () => {
    await fillStoreWithCycles(store, { cycles: 2 });
    server = await startDashboard({ store, port: 0 });
  }, 120_000);
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  it('listens on loopback by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the page, its script and uPlot from node_modules', async () => {
    const page = await get(server, '/');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/text\/html/);
    expect(page.body).toContain('<script src="/vendor/uPlot.iife.min.js"></script>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    const uplot = await get(server, '/vendor/uPlot.iife.min.js');
    expect(uplot.status).toBe(200);
    expect(uplot.body).toMatch(/uPlot/);
    expect((await get(server, '/vendor/uPlot.min.css')).status).toBe(200);
    expect((await get(server, '/dashboard.js')).body).toContain('/api/history');
  });

  it('answers the JSON endpoints', async () => {
    const status = await get(server, '/api/status');
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body).rows.map((r: { hotkey: string }) => r.hotkey)).toContain('good');
    const history = JSON.parse((await get(server, '/api/history?cycles=1')).body);
    expect(history.cycles).toHaveLength(1);
  });

  it('answers mistakes with JSON 4xx and a code', async () => {
    const bad = await get(server, '/api/history?cycles=abc');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: 'AML_ERR_DASHBOARD_BAD_QUERY' });
    const missing = await get(server, '/api/nope');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toBe('AML_ERR_DASHBOARD_NOT_FOUND');
    const post = await get(server, '/api/status', { method: 'POST' });
    expect(post.status).toBe(405);
    // a rebinding page's own name is refused; loopback names are fine
    const foreign = await get(server, '/api/status', { host: `evil.example:${server.port}` });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error).toBe('AML_ERR_DASHBOARD_HOST');
    expect((await get(server, '/api/status', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('turns a failing store into a JSON 500 and keeps serving', async () => {
    const broken: DashboardStore = {
      recentCycles: () => Promise.reject(new Error('database is locked')),
      latestCycle: () => Promise.reject(new Error('database is locked')),
      cycleReport: () => Promise.reject(new Error('database is locked')),
      tierResults: () => Promise.reject(new Error('database is locked')),
      answerSummaries: () => Promise.reject(new Error('database is locked')),
    };
    const logged: unknown[] = [];
    const failing = await startDashboard({
      store: broken,
      port: 0,
      logger: { error: (o: unknown) => logged.push(o) },
    });
    try {
      for (const path of ['/api/status', '/api/history']) {
        const res = await get(failing, path);
        expect(res.status).toBe(500);
        expect(JSON.parse(res.body)).toEqual({
          error: 'AML_ERR_DASHBOARD_READ',
          message: 'the dashboard could not read the store: database is locked',
        });
      }
      expect(logged).toHaveLength(2);
      expect((await get(failing, '/')).status).toBe(200);
    } finally {
      await failing.close();
    }
  });

  it('bounds ?cycles', () => {
    expect(historyCount(null)).toBe(48);
    expect(historyCount('5')).toBe(5);
    for (const bad of ['0', '-1', '1.5', '1001', 'x']) expect(() => historyCount(bad)).toThrow(/cycles/);
  });
});
