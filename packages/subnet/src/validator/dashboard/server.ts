/**
 * The validator dashboard's HTTP server (node:http: five GET routes need no framework). It serves
 * one static page, its script and style, uPlot from node_modules (no CDN: a validator host may have
 * no route out, and the page must not leak that a validator is looking), and two JSON endpoints
 * read from the store. It never writes: the store handle it gets only has read methods.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERRORS as TEMPLATE_ERRORS } from '@aml/miner-template/errors';
import type { Logger } from 'pino';
import { type AmlError, amlError, ERRORS, isAmlError } from '../../errors.js';
import { type DashboardStore, dashboardHistory, dashboardStatus, MAX_HISTORY_CYCLES } from './data.js';

export const DEFAULT_DASHBOARD_PORT = 8095;
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';
export const DEFAULT_HISTORY_CYCLES = 48;

export interface DashboardOptions {
  store: DashboardStore;
  host?: string;
  port?: number;
  logger?: Pick<Logger, 'error'>;
}

export interface DashboardServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Asset {
  type: string;
  body: Buffer;
}

/** The page's own files sit beside this module (copied into dist/ by the package's build). */
const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');

async function loadAssets(): Promise<Map<string, Asset>> {
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
  const files: [string, string, string][] = [
    ['/', join(STATIC_DIR, 'index.html'), 'text/html; charset=utf-8'],
    ['/dashboard.js', join(STATIC_DIR, 'dashboard.js'), 'text/javascript; charset=utf-8'],
    ['/dashboard.css', join(STATIC_DIR, 'dashboard.css'), 'text/css; charset=utf-8'],
    ['/vendor/uPlot.iife.min.js', join(uplot, 'dist', 'uPlot.iife.min.js'), 'text/javascript; charset=utf-8'],
    ['/vendor/uPlot.min.css', join(uplot, 'dist', 'uPlot.min.css'), 'text/css; charset=utf-8'],
    ['/vendor/uPlot.LICENSE', join(uplot, 'LICENSE'), 'text/plain; charset=utf-8'],
  ];
  const assets = new Map<string, Asset>();
  for (const [route, file, type] of files) {
    try {
      assets.set(route, { type, body: await readFile(file) });
    } catch (err) {
      // a missing asset is a broken install: say which file at start-up, not as a blank page later
      throw amlError(
        TEMPLATE_ERRORS.AML_ERR_IO_NOT_FOUND,
        [`${file} (dashboard asset; rebuild the package)`],
        undefined,
        err,
      );
    }
  }
  assets.set('/index.html', assets.get('/')!);
  return assets;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const isLoopback = (host: string) => LOOPBACK_NAMES.has(host) || host.startsWith('127.');

/** The Host header's name without its port. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  return header.split(':')[0];
}

const SECURITY_HEADERS = {
  // everything the page loads is served here; uPlot sizes its elements with inline styles
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...SECURITY_HEADERS }).end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function sendError(res: ServerResponse, err: AmlError): void {
  sendJson(res, err.status, { error: err.code, message: err.message });
}

/** `?cycles=N`: a positive integer up to MAX_HISTORY_CYCLES, DEFAULT_HISTORY_CYCLES when absent. */
export function historyCount(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_HISTORY_CYCLES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_HISTORY_CYCLES)
    throw amlError(ERRORS.AML_ERR_DASHBOARD_BAD_QUERY, [
      'cycles',
      `expected an integer in 1..${MAX_HISTORY_CYCLES}, got "${raw}"`,
    ]);
  return n;
}

export async function startDashboard(options: DashboardOptions): Promise<DashboardServer> {
  const host = options.host ?? DEFAULT_DASHBOARD_HOST;
  const assets = await loadAssets();
  // A page on some web site can make a browser send requests to 127.0.0.1 under its own name
  // (DNS rebinding) and read the answers: a loopback dashboard answers only to loopback names.
  const checkHost = isLoopback(host);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    if (checkHost && !isLoopback(hostName(req.headers.host)))
      return sendError(res, amlError(ERRORS.AML_ERR_DASHBOARD_HOST, [req.headers.host ?? '(none)']));
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendError(res, amlError(ERRORS.AML_ERR_DASHBOARD_METHOD, [req.method ?? '?']));
    if (url.pathname === '/api/status') return sendJson(res, 200, await dashboardStatus(options.store));
    if (url.pathname === '/api/history') {
      const count = historyCount(url.searchParams.get('cycles'));
      return sendJson(res, 200, await dashboardHistory(options.store, count));
    }
    const asset = assets.get(url.pathname);
    if (asset) return send(res, 200, asset.type, asset.body);
    return sendError(res, amlError(ERRORS.AML_ERR_DASHBOARD_NOT_FOUND, [url.pathname]));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (isAmlError(err) && err.status < 500) return sendError(res, err);
      // the operator sees the cause in the log; the browser gets a one-line JSON message
      options.logger?.error({ err, url: req.url }, 'dashboard request failed');
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) sendError(res, amlError(ERRORS.AML_ERR_DASHBOARD_READ, [message]));
      else res.end();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('listening', done).once('error', fail);
    server.listen(options.port ?? DEFAULT_DASHBOARD_PORT, host);
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
