import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type ConnectionEvent, connectApi } from './connect.js';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connectApi', () => {
  const sockets: Socket[] = [];
  const silent = createServer();
  silent.on('upgrade', (_req, socket: Socket) => {
    // accept the TCP connection, never complete the websocket handshake
    sockets.push(socket);
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('fails with a clear error when nothing listens, retrying with backoff', async () => {
    const port = await closedPort();
    const events: ConnectionEvent[] = [];
    const url = `ws://127.0.0.1:${port}`;
    const err = await connectApi({ url, connectTimeoutMs: 1200, onEvent: (e) => events.push(e) }).catch(
      (e) => e,
    );
    expect(err.code).toBe('AML_ERR_CHAIN_UNREACHABLE');
    expect(err.message).toContain(url);
    expect(err.message).toContain('1200 ms');
    const retries = events.filter((e) => e.type === 'attempt-failed');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    if (retries[0].type === 'attempt-failed') expect(retries[0].retryInMs).toBeLessThanOrEqual(250);
  });

  it('gives up on a server that accepts but never answers', async () => {
    const port = await listen(silent);
    const err = await connectApi({ url: `ws://127.0.0.1:${port}`, connectTimeoutMs: 800 }).catch((e) => e);
    expect(err.code).toBe('AML_ERR_CHAIN_UNREACHABLE');
    expect(err.message).toMatch(/no answer within/);
  });
});
