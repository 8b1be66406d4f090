/**
 * A stand-in for the miner API (docs/api.md) for end-to-end tests and the benchmark, until the real
 * server (@aml/miner-template createServer) is wired in: it answers the three scoring routes with
 * deterministic scores derived from the ids, plus /version and /health. Knobs simulate a slow API.
 * Swapping in the real server means replacing `startStandInMinerApi()` with the template's server.
 */

import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInOptions {
  /** Milliseconds to wait before answering a scoring route. */
  delayMs?: number;
  modelVersion?: string;
}

export interface RunningApi {
  url: string;
  server: Server;
  /** Requests seen per route. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** A score in [0, 1) from an id, so tests can recompute the expected answer independently. */
export function standInScore(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) % 1000;
  return h / 1000;
}

export async function startStandInMinerApi(options: StandInOptions = {}): Promise<RunningApi> {
  const version = options.modelVersion ?? '1.0.0';
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (req.method === 'GET' && path === '/version') {
      res.end(
        JSON.stringify({
          api_version: '1',
          model_versions: { alert_scorer: version, alert_ranker: version, cluster_scorer: version },
        }),
      );
      return;
    }
    if (req.method === 'GET' && path === '/health') {
      res.end(
        JSON.stringify({
          status: 'healthy',
          models_loaded: { alert_scorer: true, alert_ranker: true, cluster_scorer: true },
          uptime_s: 1,
        }),
      );
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: { alerts?: { alert_id: string }[]; clusters?: { cluster_id: string }[] };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end(JSON.stringify({ error: 'AML_ERR_SCHEMA_INVALID', message: 'invalid body' }));
        return;
      }
      let answer: unknown;
      const alerts = body.alerts ?? [];
      if (path === '/score/alerts') {
        answer = alerts.map((a) => ({
          alert_id: a.alert_id,
          score: standInScore(a.alert_id),
          model_version: version,
          latency_ms: 0.01,
          explain_json: '{"top_features":[],"base_value":0}',
        }));
      } else if (path === '/rank/alerts') {
        const sorted = [...alerts].sort(
          (x, y) => standInScore(y.alert_id) - standInScore(x.alert_id) || (x.alert_id < y.alert_id ? -1 : 1),
        );
        answer = sorted.map((a, i) => ({
          alert_id: a.alert_id,
          rank: i + 1,
          score: standInScore(a.alert_id),
        }));
      } else if (path === '/score/clusters') {
        answer = (body.clusters ?? []).map((c) => ({
          cluster_id: c.cluster_id,
          score: standInScore(c.cluster_id),
          model_version: version,
          latency_ms: 0.01,
          explain_json: '{"top_features":[],"base_value":0}',
        }));
      } else {
        res.writeHead(404).end(JSON.stringify({ error: 'not_found', message: path }));
        return;
      }
      const send = () => {
        if (!res.destroyed)
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      };
      if (options.delayMs) setTimeout(send, options.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
