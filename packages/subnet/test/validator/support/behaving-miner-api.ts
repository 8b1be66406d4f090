/**
 * Stand-in miner APIs with chosen behaviours, for the validator's end-to-end and crash tests: each
 * answers POST /score/alerts (the body is the synapse JSON the axon proxy forwards) the way one kind
 * of miner would. Given the batch's truth (address → 1/0, from the generator's labels), 'good' and
 * 'weak' have known skill beyond the upstream detector on the real alerts; on alerts whose address
 * the truth does not name (the validator's traps) they fall back on alert_confidence_score, as the
 * reference does. So the expected ranking is known without the validator.
 */
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestBatch } from '../../support/request-batch.js';

export type Behaviour =
  | { kind: 'good' }
  | { kind: 'weak' }
  | { kind: 'constant' }
  | { kind: 'sleep'; ms: number }
  | { kind: 'garbage' }
  /** Forwards the batch to another miner's API and returns its answers under its own model_version. */
  | { kind: 'copy'; fromUrl: string };

export interface BehavingApi {
  url: string;
  modelVersion: string;
  /** Scoring requests answered (or started, for `sleep`). */
  calls: () => number;
  close(): Promise<void>;
}

/** A fixed pseudo-random number in [0, 1) per id and salt (FNV-1a), independent of call order. */
export function idNoise(id: string, salt: number): number {
  let h = 0x811c9dc5 ^ salt;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

interface AlertIn {
  alert_id: string;
  address?: string;
  alert_confidence_score?: number;
}

/** Address → 1 (laundering) / 0, as the labels say. */
export type Truth = ReadonlyMap<string, number>;

/** The score a behaviour gives one alert (exported so tests can reason about it independently). */
export function behaviourScore(kind: 'good' | 'weak' | 'constant', alert: AlertIn, truth?: Truth): number {
  if (kind === 'constant') return 0.5;
  const c = alert.alert_confidence_score ?? 0.5;
  const t = alert.address === undefined ? undefined : truth?.get(alert.address);
  if (t === undefined) {
    if (kind === 'good') return clamp01(c + 0.05 * (idNoise(alert.alert_id, 1) - 0.5));
    return clamp01(0.35 * c + 0.65 * idNoise(alert.alert_id, 2));
  }
  if (kind === 'good') return clamp01(0.1 + 0.7 * t + 0.2 * idNoise(alert.alert_id, 1));
  return clamp01(0.5 * (0.2 + 0.6 * t) + 0.5 * idNoise(alert.alert_id, 2));
}

async function readJson(req: import('node:http').IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** The alerts of a forwarded synapse body, from its JSON tables or its batch_arrow. */
function alertsOf(body: Record<string, unknown>): AlertIn[] {
  return requestBatch(body).alerts as AlertIn[];
}

export async function startBehavingMinerApi(
  behaviour: Behaviour,
  modelVersion: string,
  truth?: Truth,
): Promise<BehavingApi> {
  let calls = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === '/version') {
        res.end(JSON.stringify({ api_version: '1', model_versions: { alert_scorer: modelVersion } }));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/score/alerts') {
        res.writeHead(404).end(JSON.stringify({ error: 'not_found', message: String(req.url) }));
        return;
      }
      const raw = await readJson(req);
      calls++;
      const send = (body: string) => {
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      };
      const entries = (score: (a: AlertIn) => number) =>
        JSON.stringify(
          alertsOf(raw).map((a) => ({
            alert_id: a.alert_id,
            score: score(a),
            model_version: modelVersion,
            latency_ms: 0.5,
            explain_json: '{}',
          })),
        );
      switch (behaviour.kind) {
        case 'good':
        case 'weak':
        case 'constant':
          send(entries((a) => behaviourScore(behaviour.kind, a, truth)));
          return;
        case 'sleep': {
          const timer = setTimeout(() => {
            timers.delete(timer);
            send(entries(() => 0.5));
          }, behaviour.ms);
          timers.add(timer);
          return;
        }
        case 'garbage':
          send('{"scores": [{"alert_id": "x", "score": 0.3}, oops');
          return;
        case 'copy': {
          const theirs = (await (
            await fetch(`${behaviour.fromUrl}/score/alerts`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(raw),
            })
          ).json()) as Array<Record<string, unknown>>;
          send(JSON.stringify(theirs.map((e) => ({ ...e, model_version: modelVersion }))));
          return;
        }
      }
    } catch (err) {
      if (!res.headersSent)
        res.writeHead(500).end(JSON.stringify({ error: 'internal', message: String(err) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    modelVersion,
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
