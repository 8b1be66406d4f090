/**
 * The miner API end to end over real HTTP: every route, every error class, request ids, metrics,
 * OpenAPI and the Arrow encoding. Expected scores come from the fake's formula, never from the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARROW_CONTENT_TYPE } from '../../src/api/content-types.js';
import { encodeBatchArrow } from '../../src/data/arrow-batch.js';
import {
  AlertRanksResponseSchema,
  AlertScoresResponseSchema,
  ClusterScoresResponseSchema,
  HealthSchema,
} from '../../src/schemas/api.js';
import { makeBatchBody } from './batches.js';
import { createFakeScoringService, fakeAlertScore } from './fake-scoring-service.js';
import { type Running, startServer } from './harness.js';

interface ErrorReply {
  error: string;
  message: string;
  details?: { issues?: { path: unknown; message: string }[] };
}

let server: Running;
beforeAll(async () => {
  server = await startServer({ service: createFakeScoringService() });
});
afterAll(async () => {
  await server.close();
});

describe('scoring routes', () => {
  it('POST /score/alerts answers one entry per alert in request order', async () => {
    const body = makeBatchBody(5);
    body.alerts.reverse();
    const res = await server.post('/score/alerts', body);
    expect(res.status).toBe(200);
    const scores = AlertScoresResponseSchema.parse(res.json());
    expect(scores.map((s) => s.alert_id)).toEqual(['a4', 'a3', 'a2', 'a1', 'a0']);
    // a4: severity low (i % 4 = 0), volume 4000 -> 0.8*0.1 + 0.2*4000/104000
    expect(scores[0].score).toBeCloseTo(0.08 + (0.2 * 4000) / 104_000, 12);
    // a3: critical, volume "3000.00" sent as a decimal string
    expect(scores[1].score).toBeCloseTo(0.72 + (0.2 * 3000) / 103_000, 12);
  });

  it('POST /rank/alerts ranks 1 = highest score and breaks ties by alert_id', async () => {
    const alerts = [
      { alert_id: 'b', address: 'x', severity: 'high', volume_usd: 0 },
      { alert_id: 'c', address: 'x', severity: 'critical', volume_usd: 0 },
      { alert_id: 'a', address: 'x', severity: 'high', volume_usd: 0 },
      { alert_id: 'd', address: 'x', severity: 'low', volume_usd: 0 },
    ];
    const res = await server.post('/rank/alerts', { alerts, features: [], clusters: [] });
    expect(res.status).toBe(200);
    const ranks = AlertRanksResponseSchema.parse(res.json());
    expect(ranks.map((r) => [r.alert_id, r.rank])).toEqual([
      ['c', 1],
      ['a', 2],
      ['b', 3],
      ['d', 4],
    ]);
    expect(ranks[1].score).toBeCloseTo(0.48, 12);
  });

  it('POST /score/clusters answers one entry per cluster in request order', async () => {
    const res = await server.post('/score/clusters', makeBatchBody(4, { clusters: 3 }));
    expect(res.status).toBe(200);
    const scores = ClusterScoresResponseSchema.parse(res.json());
    expect(scores.map((s) => [s.cluster_id, s.score])).toEqual([
      ['c0', 0.1],
      ['c1', 0.2],
      ['c2', 0.3],
    ]);
  });

  it('accepts money_flows: null and omitted optional tables', async () => {
    const res = await server.post('/score/alerts', {
      alerts: [{ alert_id: 'z', address: 'q' }],
      money_flows: null,
    });
    expect(res.status).toBe(200);
    expect((res.json() as { alert_id: string }[])[0].alert_id).toBe('z');
  });
});

describe('status routes', () => {
  it('GET /health is 200 and healthy with every model loaded', async () => {
    const res = await server.get('/health');
    expect(res.status).toBe(200);
    const health = HealthSchema.parse(res.json());
    expect(health.status).toBe('healthy');
    expect(health.models_loaded).toEqual({ alert_scorer: true, alert_ranker: true, cluster_scorer: true });
  });

  it('GET /version reports the API and model versions and what the API reads', async () => {
    const res = await server.get('/version');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      api_version: '1.0.0',
      model_versions: {
        alert_scorer: '1.0.0-fake',
        alert_ranker: '1.0.0-fake',
        cluster_scorer: '1.0.0-fake',
      },
      accepts: { batch_arrow_codecs: ['gzip', 'br'], request_codings: [] },
    });
  });
});

describe('errors', () => {
  it('400 names the path of a schema error', async () => {
    const body = makeBatchBody(3);
    (body.alerts[2] as Record<string, unknown>).severity = 'extreme';
    const res = await server.post('/score/alerts', body);
    expect(res.status).toBe(400);
    const err = res.json() as ErrorReply;
    expect(err.error).toBe('AML_ERR_SCHEMA_INVALID');
    expect(err.message).toContain('alerts[2].severity');
    expect(err.details?.issues?.map((i) => i.path)).toContain('alerts[2].severity');
  });

  it('400 for malformed JSON, an empty body and a non-object body', async () => {
    for (const raw of ['{"alerts": [', '', '42', '[]', 'null']) {
      const res = await server.post('/score/alerts', raw, { 'content-type': 'application/json' });
      expect(res.status, raw).toBe(400);
      expect((res.json() as ErrorReply).error).toMatch(/^AML_ERR_(API_MALFORMED_BODY|SCHEMA_INVALID)$/);
    }
  });

  it('422 names the ids of an integrity error', async () => {
    const body = makeBatchBody(3, { clusters: 1 });
    body.alerts[2].alert_id = 'a0';
    body.clusters[0].related_alert_ids = ['ghost-alert'];
    const res = await server.post('/score/alerts', body);
    expect(res.status).toBe(422);
    const err = res.json() as ErrorReply;
    expect(err.error).toBe('AML_ERR_BATCH_INTEGRITY');
    expect(err.message).toContain('"a0"');
    expect(JSON.stringify(err.details)).toContain('ghost-alert');
  });

  it('415 for a content type that is neither JSON nor Arrow', async () => {
    const res = await server.post('/score/alerts', 'alert_id,address\na,b', { 'content-type': 'text/csv' });
    expect(res.status).toBe(415);
    expect((res.json() as ErrorReply).error).toBe('AML_ERR_API_UNSUPPORTED_MEDIA');
    const plain = await server.post('/score/alerts', '{}', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
  });

  it('404 for an unknown route, with the error body', async () => {
    const res = await server.get('/score/everything');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ error: 'AML_ERR_API_NOT_FOUND', message: 'no route GET /score/everything' });
  });

  it('413 for a body over the limit', async () => {
    const small = await startServer({ service: createFakeScoringService(), config: { bodyLimitMb: 0.01 } });
    try {
      const res = await small.post('/score/alerts', makeBatchBody(200));
      expect(res.status).toBe(413);
      const err = res.json() as ErrorReply;
      expect(err.error).toBe('AML_ERR_API_BODY_TOO_LARGE');
      expect(err.message).toContain(String(Math.round(0.01 * 1024 * 1024)));
      // the message says how to raise it
      expect(err.message).toContain('--body-limit-mb');
      expect(err.message).toContain('AML_BODY_LIMIT_MB');
      const arrow = await small.post('/score/alerts', encodeBatchArrow(makeBatchBody(400)), {
        'content-type': ARROW_CONTENT_TYPE,
      });
      expect(arrow.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('503 when the needed model is not loaded; /health degrades with the same body', async () => {
    const partial = await startServer({
      service: createFakeScoringService({ loaded: { alert_ranker: false } }),
    });
    try {
      const rank = await partial.post('/rank/alerts', makeBatchBody(2));
      expect(rank.status).toBe(503);
      expect(rank.json()).toMatchObject({
        error: 'AML_ERR_MODEL_NOT_LOADED',
        details: { model: 'alert_ranker' },
      });
      // the other models still answer
      expect((await partial.post('/score/alerts', makeBatchBody(2))).status).toBe(200);
      const health = await partial.get('/health');
      expect(health.status).toBe(503);
      const body = HealthSchema.parse(health.json());
      expect(body.status).toBe('degraded');
      expect(body.models_loaded.alert_ranker).toBe(false);
      const version = (await partial.get('/version')).json() as { model_versions: Record<string, unknown> };
      expect(version.model_versions.alert_ranker).toBeNull();
    } finally {
      await partial.close();
    }
  });

  it('a service answering the wrong rows is a 500 with an error body, not a wrong answer', async () => {
    const service = createFakeScoringService();
    service.scoreAlerts = async () => [];
    const broken = await startServer({ service });
    try {
      const res = await broken.post('/score/alerts', makeBatchBody(2), { 'x-request-id': 'req-500' });
      expect(res.status).toBe(500);
      expect(res.json()).toEqual({
        error: 'AML_ERR_API_INTERNAL',
        message: 'internal error (request id req-500)',
      });
    } finally {
      await broken.close();
    }
  });
});

describe('request ids', () => {
  it('echoes a client x-request-id and makes one otherwise', async () => {
    const given = await server.get('/health', { 'x-request-id': 'abc-123' });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await server.get('/health');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await server.get('/health', { 'x-request-id': 'bad id with spaces' });
    expect(unsafe.headers['x-request-id']).not.toBe('bad id with spaces');
  });
});

describe('metrics, OpenAPI and docs', () => {
  it('GET /metrics counts requests by route and status, alerts scored and model versions', async () => {
    const own = await startServer({ service: createFakeScoringService() });
    try {
      await own.post('/score/alerts', makeBatchBody(7));
      await own.post('/score/alerts', makeBatchBody(3));
      await own.post('/score/alerts', '{', { 'content-type': 'application/json' });
      const res = await own.get('/metrics');
      expect(res.status).toBe(200);
      const text = res.text;
      expect(text).toContain(
        'aml_miner_http_requests_total{method="POST",route="/score/alerts",status_code="200"} 2',
      );
      expect(text).toContain(
        'aml_miner_http_requests_total{method="POST",route="/score/alerts",status_code="400"} 1',
      );
      expect(text).toContain('aml_miner_rows_scored_total{route="/score/alerts"} 10');
      expect(text).toMatch(
        /aml_miner_http_request_duration_seconds_count\{method="POST",route="\/score\/alerts",status_code="200"\} 2/,
      );
      expect(text).toContain(
        'aml_miner_model_info{model="alert_scorer",version="1.0.0-fake",loaded="true"} 1',
      );
    } finally {
      await own.close();
    }
  });

  it('two servers keep separate registries', async () => {
    const a = await startServer({ service: createFakeScoringService() });
    const b = await startServer({ service: createFakeScoringService() });
    try {
      await a.post('/score/alerts', makeBatchBody(4));
      expect((await b.get('/metrics')).text).not.toContain(
        'aml_miner_rows_scored_total{route="/score/alerts"}',
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('GET /openapi.json documents every route with its request and response schema', async () => {
    const res = await server.get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/score/alerts', '/rank/alerts', '/score/clusters']) {
      expect(doc.paths[path].post.requestBody, path).toBeDefined();
      expect(Object.keys(doc.paths[path].post.responses as object)).toEqual(
        expect.arrayContaining(['200', '400', '413', '415', '422', '503']),
      );
    }
    expect(doc.paths['/health'].get).toBeDefined();
    expect(doc.paths['/version'].get).toBeDefined();
    expect(doc.paths['/metrics']).toBeUndefined();
  });

  it('GET /docs serves the Swagger UI from bundled files', async () => {
    const page = await server.get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    expect(page.text).not.toMatch(/https?:\/\/(unpkg|cdn)/);
    // served over plain HTTP by address: a policy that upgrades requests would blank the page
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const css = await server.get('/docs/static/swagger-ui.css');
    expect(css.status).toBe(200);
  });
});

describe('Arrow encoding', () => {
  it('scores the same batch identically as JSON and as Arrow', async () => {
    const body = makeBatchBody(50, { clusters: 4 });
    const json = await server.post('/score/alerts', body);
    const arrow = await server.post('/score/alerts', encodeBatchArrow(body), {
      'content-type': ARROW_CONTENT_TYPE,
    });
    expect(arrow.status).toBe(200);
    const strip = (v: unknown) =>
      (v as { alert_id: string; score: number }[]).map((e) => [e.alert_id, e.score]);
    expect(strip(arrow.json())).toEqual(strip(json.json()));
    expect(strip(arrow.json())[7]).toEqual([
      'a7',
      fakeAlertScore({ severity: 'critical', volume_usd: 7000 }),
    ]);
    const clusters = await server.post('/score/clusters', encodeBatchArrow(body), {
      'content-type': ARROW_CONTENT_TYPE,
    });
    expect(clusters.json()).toEqual((await server.post('/score/clusters', body)).json());
  });

  it('Arrow bodies get the same 400/422 errors as JSON', async () => {
    const bad = makeBatchBody(2);
    (bad.alerts[1] as Record<string, unknown>).severity = 'nope';
    const schema = await server.post('/score/alerts', encodeBatchArrow(bad), {
      'content-type': ARROW_CONTENT_TYPE,
    });
    expect(schema.status).toBe(400);
    expect((schema.json() as ErrorReply).message).toContain('alerts[1].severity');
    const dup = makeBatchBody(2);
    dup.alerts[1].alert_id = 'a0';
    const integrity = await server.post('/score/alerts', encodeBatchArrow(dup), {
      'content-type': ARROW_CONTENT_TYPE,
    });
    expect(integrity.status).toBe(422);
    const garbage = await server.post('/score/alerts', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), {
      'content-type': ARROW_CONTENT_TYPE,
    });
    expect(garbage.status).toBe(400);
    expect((garbage.json() as ErrorReply).error).toBe('AML_ERR_API_ARROW_FORMAT');
  });
});
