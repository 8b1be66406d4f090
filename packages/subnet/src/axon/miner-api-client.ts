/**
 * The proxy's side of the miner API (docs/api.md): posts a batch to the route for its task through a
 * pooled undici client, within a deadline, reading at most `maxResponseBytes`. Failures come back
 * as values with a kind (unavailable, timeout, http, too_large), never as hangs or throws, so the
 * axon can map each to its status code.
 */
import { Pool } from 'undici';
import { ERRORS, hasErrorCode } from '../errors.js';
import { readCapped } from '../protocol/read-capped.js';
import type { AmlTask } from '../protocol/synapse.js';
import { TASK_ROUTES } from '../protocol/synapse.js';
import type { VersionReply } from './api-codecs.js';

export type MinerApiResult =
  | { ok: true; body: Buffer }
  | { ok: false; kind: 'unavailable' | 'timeout' | 'too_large' | 'bad_response'; message: string }
  | { ok: false; kind: 'http'; status: number; message: string };

export interface MinerApiClientOptions {
  /** Parallel connections to the API. */
  connections?: number;
  maxResponseBytes?: number;
}

const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'EPIPE',
]);

export class MinerApiClient {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly maxResponseBytes: number;
  private versionCache: { at: number; versions: Record<string, string | null> } | undefined;

  constructor(apiUrl: string, options: MinerApiClientOptions = {}) {
    const url = new URL(apiUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 8,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      // The per-request deadline below is the real limit; these only stop idle sockets lingering.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    this.maxResponseBytes = options.maxResponseBytes ?? 256 * 1024 * 1024;
  }

  /** POSTs `body` (the synapse JSON; the API ignores the envelope's extra keys) to the task's route. */
  async forward(task: AmlTask, body: Buffer, timeoutMs: number): Promise<MinerApiResult> {
    return this.call('POST', TASK_ROUTES[task], body, timeoutMs);
  }

  /** Model versions from GET /version, cached for a minute. */
  async modelVersions(timeoutMs = 2_000): Promise<Record<string, string | null> | undefined> {
    if (this.versionCache && Date.now() - this.versionCache.at < 60_000) return this.versionCache.versions;
    const reply = await this.version(timeoutMs);
    const parsed = (reply.reached ? reply.body : undefined) as
      | { model_versions?: Record<string, string | null> }
      | null
      | undefined;
    if (parsed?.model_versions && typeof parsed.model_versions === 'object') {
      this.versionCache = { at: Date.now(), versions: parsed.model_versions };
      return parsed.model_versions;
    }
    return undefined;
  }

  /**
   * GET /version: not reached (no connection, timeout), or reached with its JSON body (undefined
   * when the API answered something else: an API without the route says nothing).
   */
  async version(timeoutMs = 2_000): Promise<VersionReply> {
    const res = await this.call('GET', '/version', undefined, timeoutMs);
    if (!res.ok) return res.kind === 'http' ? { reached: true, body: undefined } : { reached: false };
    try {
      return { reached: true, body: JSON.parse(res.body.toString('utf8')) as unknown };
    } catch {
      return { reached: true, body: undefined };
    }
  }

  private async call(
    method: 'GET' | 'POST',
    route: string,
    body: Buffer | undefined,
    timeoutMs: number,
  ): Promise<MinerApiResult> {
    // Whole milliseconds: a synapse timeout such as 12.5 s leaves a fractional deadline, and
    // AbortSignal.timeout throws on one.
    const signal = AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs)));
    try {
      const res = await this.pool.request({
        path: `${this.basePath}${route}`,
        method,
        body,
        headers: body ? { 'content-type': 'application/json' } : {},
        signal,
      });
      const payload = await readCapped(res.body, this.maxResponseBytes);
      if (res.statusCode !== 200) {
        return {
          ok: false,
          kind: 'http',
          status: res.statusCode,
          message: apiErrorMessage(payload, res.statusCode),
        };
      }
      return { ok: true, body: payload };
    } catch (err) {
      if (hasErrorCode(err, ERRORS.AML_ERR_PROTOCOL_TOO_LARGE))
        return { ok: false, kind: 'too_large', message: (err as Error).message };
      if (signal.aborted) return { ok: false, kind: 'timeout', message: `no answer within ${timeoutMs} ms` };
      const code = (err as { code?: string }).code ?? '';
      const message = (err as Error).message || String(err);
      if (CONNECT_ERRORS.has(code)) return { ok: false, kind: 'unavailable', message: `${code} ${message}` };
      return { ok: false, kind: 'bad_response', message };
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/** The API's `{error, message}` body (docs/api.md), or a generic message. */
function apiErrorMessage(payload: Buffer, status: number): string {
  try {
    const parsed = JSON.parse(payload.subarray(0, 64 * 1024).toString('utf8')) as {
      message?: unknown;
      error?: unknown;
    };
    if (typeof parsed.message === 'string')
      return typeof parsed.error === 'string' ? `${parsed.error}: ${parsed.message}` : parsed.message;
  } catch {
    // not JSON
  }
  return `HTTP ${status}`;
}

/** The model behind each task, for GET /version lookups. */
export const MODEL_FOR_TASK: Record<AmlTask, string> = {
  score_alerts: 'alert_scorer',
  rank_alerts: 'alert_ranker',
  score_clusters: 'cluster_scorer',
};

/** The API's answer as an array of objects, or undefined when it is anything else. */
export function parseEntries(body: Buffer): unknown[] | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e))
    )
      return parsed;
  } catch {
    // garbage from the API
  }
  return undefined;
}

/** Status and message for a failed miner API call (docs/protocol.md codes). */
export function apiFailure(
  result: Exclude<MinerApiResult, { ok: true }>,
  timeoutS: number,
): [number, string] {
  switch (result.kind) {
    case 'timeout':
      return [408, `miner API did not answer within the synapse timeout of ${timeoutS} s`];
    case 'unavailable':
      return [503, `miner API unavailable: ${result.message}`];
    case 'http': {
      const passThrough = [400, 413, 422, 503];
      return [
        passThrough.includes(result.status) ? result.status : 500,
        `miner API answered ${result.status}: ${result.message}`,
      ];
    }
    default:
      return [500, `miner API failed: ${result.message}`];
  }
}
