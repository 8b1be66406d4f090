/**
 * Same batch, same models: bit-identical answers from two separate server processes (SPEC §2 and
 * the determinism the validator's plagiarism and validate-submission checks rely on). latency_ms
 * measures the run, not the answer, and is the one field left out of the comparison.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureTableToRows } from '../../src/data/feature-table.js';
import { generateBatch } from '../../src/synthetic/generate.js';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const MODELS = fileURLToPath(new URL('../../../../trained_models', import.meta.url));

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--models-dir',
      MODELS,
    ],
    { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += String(chunk);
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      if (url) resolve({ child, url });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${text}`)));
  });
}

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
    servers = await Promise.all([startServer(), startServer()]);
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
