/**
 * The dendrite against hostile and foreign axons on 127.0.0.1: a huge body, an endless stream,
 * garbage JSON, a schema-breaking answer, a closed port, and a Python-style axon (echoed inputs,
 * nonces as bare JSON integers). Each gets its status from docs/protocol.md and none stalls the others.
 */

import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Keyring } from '@polkadot/keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dendrite } from '../src/dendrite/dendrite.js';
import { cryptoReady } from '../src/protocol/signing.js';

const servers: Server[] = [];
let dendrite: Dendrite;

async function serve(handler: RequestListener): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const drain = (req: Parameters<RequestListener>[0]) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString();
    });
    req.on('end', () => resolve(text));
  });

// Python's json writes nonces as bare integers beyond 2^53; the placeholders become exactly that.
const PY_ANSWER = (body: Record<string, unknown>) =>
  JSON.stringify({
    ...body,
    dendrite: { ...(body.dendrite as object), nonce: '@N1@' },
    axon: { status_code: 200, status_message: 'Success', process_time: 0.01, nonce: '@N2@' },
    scores: [{ alert_id: 'a-1', score: 0.25, model_version: 'py-1', latency_ms: 1, explain_json: '{}' }],
    miner_id: 'python-miner',
    model_version: 'py-1',
    error: null,
  })
    .replace('"@N1@"', '1732560000123456789')
    .replace('"@N2@"', '1732560000123456790');

const ports: Record<string, number> = {};

beforeAll(async () => {
  await cryptoReady();
  dendrite = new Dendrite({
    signer: new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromSeed(new Uint8Array(32).fill(9)),
  });
  ports.huge = await serve(async (req, res) => {
    await drain(req);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"scores":[${'0,'.repeat(2_000_000)}0]}`);
  });
  ports.endless = await serve(async (req, res) => {
    await drain(req);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"scores":[');
    const timer = setInterval(() => res.write('0,'), 20);
    res.on('close', () => clearInterval(timer));
  });
  ports.garbage = await serve(async (req, res) => {
    await drain(req);
    res.writeHead(200).end('this is {not json');
  });
  ports.wrongShape = await serve(async (req, res) => {
    await drain(req);
    res.writeHead(200).end(JSON.stringify({ scores: [{ alert_id: 'a-1', score: 7 }] }));
  });
  ports.python = await serve(async (req, res) => {
    const body = JSON.parse(await drain(req)) as Record<string, unknown>;
    // What a Python axon checks first: the headers carry the signature and the exact nonce.
    const ok =
      typeof req.headers.bt_header_dendrite_signature === 'string' &&
      /^\d+$/.test(String(req.headers.bt_header_dendrite_nonce));
    res.writeHead(ok ? 200 : 401, {
      'content-type': 'application/json',
      bt_header_axon_status_code: '200',
      bt_header_axon_status_message: 'Success',
      bt_header_axon_process_time: '0.01',
      bt_header_axon_nonce: '1732560000123456790',
    });
    res.end(PY_ANSWER(body));
  });
  ports.refusing = await serve((_req, res) => {
    res
      .writeHead(403, { 'content-type': 'application/json' })
      .end('{"message":"Forbidden. Key is blacklisted: nope."}');
  });
  const closed = await serve(() => {});
  ports.closed = closed;
  await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
});

afterAll(async () => {
  await dendrite.close();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('dendrite against hostile axons', () => {
  it('maps every failure to its status, in order, without one stalling the rest', async () => {
    const names = ['huge', 'endless', 'garbage', 'wrongShape', 'python', 'refusing', 'closed'];
    const answers = await dendrite.query(
      names.map((n) => ({
        ip: '127.0.0.1',
        port: ports[n],
        hotkey: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
      })),
      { task: 'score_alerts', batch_id: 'b', alerts: [{ alert_id: 'a-1', address: 'x' }] },
      { timeoutS: 1.5, maxResponseBytes: 1024 * 1024, concurrency: 8 },
    );
    const byName = Object.fromEntries(names.map((n, i) => [n, answers[i]]));
    expect(byName.huge.dendrite.status_code).toBe(413);
    expect(byName.endless.dendrite.status_code).toBe(408);
    expect(byName.garbage.dendrite.status_code).toBe(422);
    expect(byName.wrongShape.dendrite.status_code).toBe(422);
    expect(byName.refusing.dendrite.status_code).toBe(403);
    expect(byName.refusing.dendrite.status_message).toMatch(/blacklisted/);
    expect(byName.closed.dendrite.status_code).toBe(503);
    const py = byName.python;
    expect(py.dendrite.status_code).toBe(200);
    expect(py.scores).toEqual([
      { alert_id: 'a-1', score: 0.25, model_version: 'py-1', latency_ms: 1, explain_json: '{}' },
    ]);
    expect(py.miner_id).toBe('python-miner');
    expect(py.axon.nonce).toBe(1732560000123456790n); // the exact header value, not the rounded JSON number
    for (const a of answers) expect(a.dendrite.process_time).toBeGreaterThan(0);
  });

  it('hands each answer to onAnswer and keeps only its envelope in the list it returns', async () => {
    const target = {
      ip: '127.0.0.1',
      port: ports.python,
      hotkey: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
    };
    const told: unknown[] = [];
    const answers = await dendrite.query(
      [target, target],
      { task: 'score_alerts', batch_id: 'b2', alerts: [{ alert_id: 'a-1', address: 'x' }] },
      { timeoutS: 5, onAnswer: (_i, a) => void told.push(a.scores) },
    );
    expect(told).toEqual([
      [{ alert_id: 'a-1', score: 0.25, model_version: 'py-1', latency_ms: 1, explain_json: '{}' }],
      [{ alert_id: 'a-1', score: 0.25, model_version: 'py-1', latency_ms: 1, explain_json: '{}' }],
    ]);
    expect(answers.map((a) => [a.dendrite.status_code, a.model_version, a.scores])).toEqual([
      [200, 'py-1', null],
      [200, 'py-1', null],
    ]);
  });
});
