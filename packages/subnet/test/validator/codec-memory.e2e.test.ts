/**
 * The validator's memory of what axons advertised survives a restart (docs/validator.md,
 * "Negotiated compression"), end to end on 127.0.0.1: a dendrite with the store-backed memory
 * queries a real axon proxy through a recording hop, the store file is closed and opened again as a
 * restarted validator would, and the new dendrite's first request is already compressed. An axon
 * that moved to another address is sent plain, and its row is replaced once it answers there.
 */

import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import pino from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxonProxy } from '../../src/axon/axon-server.js';
import { StaticNeuronRegistry } from '../../src/axon/neuron-registry.js';
import { Dendrite } from '../../src/dendrite/dendrite.js';
import { cryptoReady } from '../../src/protocol/signing.js';
import { storedCodecMemory } from '../../src/validator/codec-memory.js';
import { SqliteStore } from '../../src/validator/store/sqlite-store.js';
import { type RunningApi, startStandInMinerApi } from '../support/stand-in-miner-api.js';

let api: RunningApi;
let proxy: AxonProxy;
let proxyUrl: string;
let miner: KeyringPair;
let validator: KeyringPair;
const hops: Server[] = [];
/** Content-Encoding of each request that crossed a hop, in order. */
const codings: Array<string | undefined> = [];

/** Forwards to the proxy byte for byte, recording each request's Content-Encoding. */
async function startHop(): Promise<number> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    codings.push(req.headers['content-encoding'] as string | undefined);
    const { host: _h, connection: _c, ...headers } = req.headers;
    const upstream = await request(`${proxyUrl}${req.url}`, {
      method: 'POST',
      headers: headers as Record<string, string>,
      body: Buffer.concat(chunks),
    });
    const body = Buffer.from(await upstream.body.arrayBuffer());
    const out = { ...upstream.headers };
    delete out['transfer-encoding'];
    delete out.connection;
    res.writeHead(upstream.statusCode, out as Record<string, string>).end(body);
  });
  hops.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  await cryptoReady();
  const keyring = new Keyring({ type: 'sr25519' });
  miner = keyring.addFromSeed(new Uint8Array(32).fill(81));
  validator = keyring.addFromSeed(new Uint8Array(32).fill(82));
  api = await startStandInMinerApi();
  proxy = new AxonProxy({
    hotkey: miner,
    minerApiUrl: api.url,
    registry: StaticNeuronRegistry.validators([validator.address], 1000),
    host: '127.0.0.1',
    port: 0,
  });
  proxyUrl = `http://127.0.0.1:${(await proxy.listen()).port}`;
});

afterAll(async () => {
  for (const h of hops) await new Promise<void>((r) => h.close(() => r()));
  await proxy?.close();
  await api?.close();
});

/** One validator run: the store opened from the file, a dendrite with its memory, one query per port. */
async function validatorRun(storePath: string, ports: number[]) {
  const store = new SqliteStore(storePath);
  const dendrite = new Dendrite({
    signer: validator,
    codecs: await storedCodecMemory(store, pino({ level: 'silent' })),
  });
  try {
    for (const port of ports) {
      const [answer] = await dendrite.query([{ ip: '127.0.0.1', port, hotkey: miner.address }], {
        task: 'score_alerts',
        batch_id: `b-${codings.length}`,
        alerts: [{ alert_id: 'a-1', address: 'addr-1' }],
        timeout: 10,
      });
      expect(answer.dendrite.status_code, answer.dendrite.status_message).toBe(200);
    }
    return await store.axonCodecs();
  } finally {
    await dendrite.close();
    await store.close();
  }
}

describe('negotiated compression across a validator restart', () => {
  it('sends the first request after a restart compressed, and an axon that moved plain', async () => {
    const storePath = join(mkdtempSync(join(tmpdir(), 'aml-codecs-')), 'validator.sqlite');
    const port = await startHop();
    const first = await validatorRun(storePath, [port, port]);
    expect(codings).toEqual([undefined, 'gzip']);
    // the stand-in API lists no codecs: the proxy advertises gzip bodies and the gzip batch only
    expect(first).toEqual([
      { hotkey: miner.address, address: `127.0.0.1:${port}`, gzipBody: true, brotliBatch: false },
    ]);

    codings.length = 0;
    await validatorRun(storePath, [port]);
    expect(codings).toEqual(['gzip']);

    codings.length = 0;
    const moved = await startHop();
    const after = await validatorRun(storePath, [moved, moved]);
    expect(codings).toEqual([undefined, 'gzip']);
    expect(after.map((r) => r.address)).toEqual([`127.0.0.1:${moved}`]);
  }, 60_000);
});
