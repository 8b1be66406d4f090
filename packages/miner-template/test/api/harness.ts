/** Starts a real server on 127.0.0.1, port 0, and gives tests a small undici client for it. */
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { type CreateServerOptions, createServer } from '../../src/api/server.js';

export interface Running {
  app: FastifyInstance;
  base: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

export async function startServer(options: CreateServerOptions): Promise<Running> {
  const app = await createServer({ logger: false, ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  const base = `http://127.0.0.1:${address.port}`;
  const send = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const isRaw = typeof body === 'string' || body instanceof Uint8Array;
    const res = await request(`${base}${path}`, {
      method,
      headers: body === undefined || isRaw ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : isRaw ? (body as string | Uint8Array) : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
  };
  return {
    app,
    base,
    post: (path, body, headers) => send('POST', path, body, headers),
    get: (path, headers) => send('GET', path, undefined, headers),
    close: () => app.close(),
  };
}
