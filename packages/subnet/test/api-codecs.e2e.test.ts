/**
 * The axon proxy advertises only the batch_arrow codecs the miner API behind it reads (docs/
 * protocol.md, negotiated compression), end to end on 127.0.0.1: signed synapses to an in-process
 * proxy in front of a stub API whose GET /version says what the test wants (nothing, as an older
 * or foreign API; a list; a list that changes), and in front of our real API (`aml-miner serve`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AxonProxy } from '../src/axon/axon-server.js';
import { StaticNeuronRegistry } from '../src/axon/neuron-registry.js';
import { cryptoReady } from '../src/protocol/signing.js';
import { type BinProcess, built, freePort, startMinerApiBin, startProxyBin } from './support/bin-process.js';
import { buildSignedRequest, type RawKey, rawKeyFromSeed } from './support/independent-signer.js';

const MINER_SEED = `0x${'71'.repeat(32)}`;
let minerKey: KeyringPair;
let validatorRaw: RawKey;
let uuid = 0;

/** What the stub's GET /version says, and whether its scoring route fails. */
interface StubState {
  version: unknown;
  failScoring: boolean;
  versionHits: number;
}

function startStub(state: StubState, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/version') {
      state.versionHits++;
      if (state.version === undefined) res.writeHead(404).end('{"message":"no such route"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.version));
      return;
    }
    req.resume();
    req.on('end', () => {
      if (state.failScoring)
        res.writeHead(400).end('{"error":"AML_ERR_API_ARROW_FORMAT","message":"unknown codec"}');
      else
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('[{"alert_id":"a-1","score":0.5,"model_version":"stub","latency_ms":1}]');
    });
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

const versionListing = (codecs: string[]) => ({
  api_version: '1.0.0',
  model_versions: { alert_scorer: 'stub', alert_ranker: null, cluster_scorer: null },
  accepts: { batch_arrow_codecs: codecs, request_codings: [] },
});

const running: Array<{ close(): Promise<void> }> = [];

async function proxyFor(apiUrl: string, batchCodecs?: ('gzip' | 'br')[]) {
  const proxy = new AxonProxy({
    hotkey: minerKey,
    minerApiUrl: apiUrl,
    registry: new StaticNeuronRegistry([
      [validatorRaw.address, { registered: true, validatorPermit: true, stake: 1000 }],
    ]),
    host: '127.0.0.1',
    port: 0,
    batchCodecs,
  });
  running.push(proxy);
  const { port } = await proxy.listen();
  return `http://127.0.0.1:${port}`;
}

/** A signed synapse to the proxy: its status and what it advertised. */
async function ask(proxyUrl: string) {
  const req = buildSignedRequest(validatorRaw, minerKey.address, {
    batchId: `b-${uuid}`,
    task: 'score_alerts',
    alerts: [{ alert_id: 'a-1', address: 'addr-1' }],
    uuid: `codecs-${uuid++}`,
    timeout: 10,
  });
  const res = await request(`${proxyUrl}/AmlScoringSynapse`, {
    method: 'POST',
    headers: req.headers,
    body: req.body,
  });
  await res.body.arrayBuffer();
  return { status: res.statusCode, codecs: res.headers['aml-batch-arrow-codecs'] };
}

/** Until the proxy's background question to the API has been answered. */
async function eventually(check: () => Promise<boolean>) {
  for (let i = 0; i < 50; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

beforeAll(async () => {
  await cryptoReady();
  minerKey = new Keyring({ type: 'sr25519' }).addFromUri(MINER_SEED);
  validatorRaw = rawKeyFromSeed(new Uint8Array(32).fill(72));
});

afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

describe('the axon proxy advertises what its miner API reads', () => {
  it.each([
    [
      'an API whose /version lists nothing (older or foreign)',
      { api_version: '0.9', model_versions: {} },
      'gzip',
    ],
    ['an API without /version at all', undefined, 'gzip'],
    ['an API that reads gzip only', versionListing(['gzip']), 'gzip'],
    [
      'an API that reads gzip and brotli and a codec we do not know',
      versionListing(['gzip', 'br', 'zstd']),
      'gzip, br',
    ],
    [
      'an API that lists brotli but not gzip (gzip is the protocol default)',
      versionListing(['br']),
      'gzip, br',
    ],
  ])('%s', async (_who, version, advertised) => {
    const state: StubState = { version, failScoring: false, versionHits: 0 };
    const stub = await startStub(state);
    running.push({ close: () => new Promise<void>((r) => stub.server.close(() => r())) });
    const proxy = await proxyFor(stub.url);
    expect(state.versionHits).toBe(1);
    const answer = await ask(proxy);
    expect(answer.status).toBe(200);
    expect(answer.codecs).toBe(advertised);
  });

  it('never advertises more than its own --axon.batch_codecs', async () => {
    const state: StubState = { version: versionListing(['gzip', 'br']), failScoring: false, versionHits: 0 };
    const stub = await startStub(state);
    running.push({ close: () => new Promise<void>((r) => stub.server.close(() => r())) });
    expect((await ask(await proxyFor(stub.url, ['gzip']))).codecs).toBe('gzip');
  });

  it('asks again after a failed forward: an API replaced by one without brotli is no longer advertised it', async () => {
    const state: StubState = { version: versionListing(['gzip', 'br']), failScoring: false, versionHits: 0 };
    const stub = await startStub(state);
    running.push({ close: () => new Promise<void>((r) => stub.server.close(() => r())) });
    const proxy = await proxyFor(stub.url);
    expect((await ask(proxy)).codecs).toBe('gzip, br');
    expect((await ask(proxy)).codecs).toBe('gzip, br');
    expect(state.versionHits).toBe(1); // answered requests do not ask
    state.version = { api_version: '0.9', model_versions: {} };
    state.failScoring = true;
    expect((await ask(proxy)).status).toBe(400);
    await eventually(async () => state.versionHits === 2);
    state.failScoring = false;
    await eventually(async () => (await ask(proxy)).codecs === 'gzip');
  });

  it('starts with gzip alone when the API is down, and learns more once it answers', async () => {
    const port = await freePort();
    const proxy = await proxyFor(`http://127.0.0.1:${port}`);
    expect((await ask(proxy)).status).toBe(503);
    const state: StubState = { version: versionListing(['gzip', 'br']), failScoring: false, versionHits: 0 };
    const stub = await startStub(state, port);
    running.push({ close: () => new Promise<void>((r) => stub.server.close(() => r())) });
    const first = await ask(proxy);
    expect(first.status).toBe(200);
    expect(first.codecs).toBe('gzip');
    await eventually(async () => (await ask(proxy)).codecs === 'gzip, br');
  });
});

describe.skipIf(!built)('the axon proxy in front of our miner API', () => {
  let api: BinProcess;
  let proxy: BinProcess;
  let proxyUrl: string;
  beforeAll(async () => {
    const started = await startMinerApiBin(await freePort());
    api = started.api;
    const port = await freePort();
    proxy = await startProxyBin(started.url, port, MINER_SEED, [
      '--netuid',
      '1',
      '--blacklist.allowed_hotkeys',
      validatorRaw.address,
    ]);
    proxyUrl = `http://127.0.0.1:${port}`;
  }, 120_000);
  afterAll(async () => {
    for (const p of [proxy, api].filter(Boolean)) {
      p.kill();
      await p.exited;
    }
  });

  it('advertises gzip and brotli, as our API lists both', async () => {
    const answer = await ask(proxyUrl);
    expect(answer.status).toBe(200);
    expect(answer.codecs).toBe('gzip, br');
  }, 60_000);
});
