/**
 * Same batch, same models: bit-identical answers from two separate server processes (docs/api.md and
 * the determinism the validator's plagiarism and validate-submission checks rely on). latency_ms
 * measures the run, not the answer, and is the one field left out of the comparison.
 */
import type { ChildProcess } from 'node:child_process';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureTableToRows } from '../../src/data/feature-table.js';
import { generateBatch } from '../../src/synthetic/generate.js';
import { startServeProcess } from './serve-process.js';

const stripLatency = (entries: Record<string, unknown>[]) =>
  entries.map(({ latency_ms: _, ...rest }) => rest);

describe('determinism across processes', () => {
  let servers: { child: ChildProcess; url: string }[] = [];
  const { batch } = generateBatch({ date: '2026-02-03', alerts: 300, seed: 11 });
  const body = JSON.stringify({
    alerts: batch.alerts,
    features: featureTableToRows(batch.features),
    clusters: batch.clusters,
    money_flows: batch.money_flows,
  });

  beforeAll(async () => {
    servers = await Promise.all([startServeProcess(), startServeProcess()]);
  }, 120_000);
  afterAll(() => {
    for (const s of servers) s.child.kill('SIGTERM');
  });

  for (const route of ['/score/alerts', '/rank/alerts', '/score/clusters']) {
    it(`${route}: two processes answer byte-identically (latency aside), and so does a repeat`, async () => {
      const answers: string[] = [];
      for (const url of [servers[0].url, servers[1].url, servers[0].url]) {
        const res = await request(`${url}${route}`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.statusCode).toBe(200);
        const json = (await res.body.json()) as Record<string, unknown>[];
        expect(json.length).toBeGreaterThan(0);
        answers.push(JSON.stringify(stripLatency(json)));
      }
      expect(answers[1]).toBe(answers[0]);
      expect(answers[2]).toBe(answers[0]);
    });
  }
});
