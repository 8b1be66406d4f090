/**
 * End to end on 127.0.0.1: dendrite → axon proxy → miner API → back, for all three tasks, and every
 * attack the axon must refuse with its status from docs/protocol.md while it keeps serving.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AxonProxyOptions } from '../src/axon/axon-server.js';
import { AxonProxy } from '../src/axon/axon-server.js';
import { StaticNeuronRegistry } from '../src/axon/neuron-registry.js';
import { Dendrite } from '../src/dendrite/dendrite.js';
import { cryptoReady } from '../src/protocol/signing.js';
import type { RawKey } from './support/independent-signer.js';
import { buildSignedRequest, rawKeyFromSeed } from './support/independent-signer.js';
import type { RunningApi } from './support/stand-in-miner-api.js';
import { standInScore, startStandInMinerApi } from './support/stand-in-miner-api.js';

const seed = (byte: number) => new Uint8Array(32).fill(byte);

let minerKey: KeyringPair;
let validatorKey: KeyringPair;
let validatorRaw: RawKey;
let strangerRaw: RawKey;
let noPermitRaw: RawKey;
let api: RunningApi;
let slowApi: RunningApi;
const proxies: AxonProxy[] = [];
let proxyUrl: string;
let proxyPort: number;
let dendrite: Dendrite;

const alerts = [
  { alert_id: 'a-1', address: 'addr-1', severity: 'high' },
  { alert_id: 'a-2', address: 'addr-2' },
  { alert_id: 'a-3', address: 'addr-3', volume_usd: '150000.00' },
];
const clusters = [{ cluster_id: 'c-1', related_alert_ids: ['a-1', 'a-2'] }];

async function startProxy(overrides: Partial<AxonProxyOptions> = {}) {
  const registry = new StaticNeuronRegistry([
    [validatorKey.address, { registered: true, validatorPermit: true, stake: 1000 }],
    [noPermitRaw.address, { registered: true, validatorPermit: false, stake: 1000 }],
  ]);
  const proxy = new AxonProxy({
    hotkey: minerKey,
    minerApiUrl: api.url,
    registry,
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 1024 * 1024,
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
    connectionsCheckingIntervalMs: 100,
    ...overrides,
  });
  proxies.push(proxy);
  const { port } = await proxy.listen();
  return { proxy, port, url: `http://127.0.0.1:${port}` };
}

async function post(
  url: string,
  req: { headers: Record<string, string>; body: string },
  path = '/AmlScoringSynapse',
) {
  const res = await request(`${url}${path}`, { method: 'POST', headers: req.headers, body: req.body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: JSON.parse(text) as Record<string, unknown> };
}

const signed = (
  fields: Parameters<typeof buildSignedRequest>[2],
  key: RawKey = validatorRaw,
  axon = minerKey.address,
) => buildSignedRequest(key, axon, fields);
let uuidSeq = 0;
const freshUuid = () => `uuid-${uuidSeq++}`;

beforeAll(async () => {
  await cryptoReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  minerKey = keyring.addFromSeed(seed(1));
  validatorKey = keyring.addFromSeed(seed(2));
  validatorRaw = rawKeyFromSeed(seed(2));
  strangerRaw = rawKeyFromSeed(seed(3));
  noPermitRaw = rawKeyFromSeed(seed(4));
  // The real server works the same way (see real-miner-api.e2e.test.ts); swapping it in is this line.
  api = await startStandInMinerApi();
  slowApi = await startStandInMinerApi({ delayMs: 1500 });
  const main = await startProxy();
  proxyUrl = main.url;
  proxyPort = main.port;
  dendrite = new Dendrite({ signer: validatorKey });
});

afterAll(async () => {
  await dendrite.close();
  await Promise.all(proxies.map((p) => p.close()));
  await api.close();
  await slowApi.close();
});

describe('dendrite → axon proxy → miner API', () => {
  const axon = () => ({ ip: '127.0.0.1', port: proxyPort, hotkey: minerKey.address });

  it('scores alerts', async () => {
    const [answer] = await dendrite.query([axon()], {
      task: 'score_alerts',
      batch_id: 'b-1',
      alerts,
      timeout: 10,
    });
    expect(answer.dendrite.status_code).toBe(200);
    expect(answer.axon.status_code).toBe(200);
    expect(answer.miner_id).toBe(minerKey.address);
    expect(answer.model_version).toBe('1.0.0');
    expect(answer.error).toBeNull();
    expect(answer.scores).toEqual(
      alerts.map((a) => expect.objectContaining({ alert_id: a.alert_id, score: standInScore(a.alert_id) })),
    );
    expect(answer.dendrite.process_time).toBeGreaterThan(0);
    expect(answer.axon.process_time).toBeGreaterThan(0);
    expect(answer.axon.hotkey).toBe(minerKey.address);
  });

  it('ranks alerts', async () => {
    const answer = await dendrite.call(axon(), { task: 'rank_alerts', batch_id: 'b-2', alerts, timeout: 10 });
    expect(answer.dendrite.status_code).toBe(200);
    const expected = [...alerts].sort((x, y) => standInScore(y.alert_id) - standInScore(x.alert_id));
    expect(answer.scores?.map((s) => 'rank' in s && [s.alert_id, s.rank])).toEqual(
      expected.map((a, i) => [a.alert_id, i + 1]),
    );
    expect(answer.model_version).toBe('1.0.0'); // from GET /version: rank entries carry none
  });

  it('scores clusters', async () => {
    const answer = await dendrite.call(axon(), {
      task: 'score_clusters',
      batch_id: 'b-3',
      alerts,
      clusters,
      timeout: 10,
    });
    expect(answer.dendrite.status_code).toBe(200);
    expect(answer.scores).toEqual([
      expect.objectContaining({ cluster_id: 'c-1', score: standInScore('c-1') }),
    ]);
  });

  it('accepts a request signed by an independent implementation of the rules', async () => {
    const res = await post(
      proxyUrl,
      signed({ batchId: 'interop', task: 'score_alerts', alerts, uuid: freshUuid() }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.bt_header_axon_status_code).toBe('200');
    expect((res.json.scores as unknown[]).length).toBe(3);
  });

  it("accepts a body laid out as Python's Synapse.model_dump() writes it", async () => {
    const req = signed({
      batchId: 'py-body',
      task: 'rank_alerts',
      alerts,
      uuid: freshUuid(),
      pythonBody: true,
    });
    expect(req.body).toMatch(/"nonce":\d{19},/);
    const res = await post(proxyUrl, req);
    expect(res.status).toBe(200);
    expect((res.json.scores as unknown[]).length).toBe(3);
  });

  it('serves /healthz and /metrics', async () => {
    const health = await request(`${proxyUrl}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(((await health.body.json()) as { hotkey: string }).hotkey).toBe(minerKey.address);
    const metrics = await request(`${proxyUrl}/metrics`);
    expect(await metrics.body.text()).toMatch(
      /aml_axon_requests_total\{status="200",task="score_alerts"\} \d+/,
    );
  });
});

describe('attacks on the axon', () => {
  it('refuses a missing or empty signature (401)', async () => {
    for (const value of [undefined, '']) {
      const req = signed({ batchId: 'x', task: 'score_alerts', uuid: freshUuid() });
      if (value === undefined) delete req.headers.bt_header_dendrite_signature;
      else req.headers.bt_header_dendrite_signature = value;
      const res = await post(proxyUrl, req);
      expect(res.status).toBe(401);
      expect(res.json.message).toMatch(/signature/);
      expect(res.headers.bt_header_axon_status_code).toBe('401');
    }
  });

  it('refuses a bad signature (401)', async () => {
    const req = signed({ batchId: 'x', task: 'score_alerts', uuid: freshUuid() });
    const sig = req.headers.bt_header_dendrite_signature;
    req.headers.bt_header_dendrite_signature = `${sig.slice(0, -2)}${sig.endsWith('00') ? '01' : '00'}`;
    expect((await post(proxyUrl, req)).status).toBe(401);
  });

  it('refuses a signature made for another axon (401)', async () => {
    const req = signed(
      { batchId: 'x', task: 'score_alerts', uuid: freshUuid() },
      validatorRaw,
      strangerRaw.address,
    );
    req.headers.bt_header_axon_hotkey = minerKey.address; // claims to be for us; the signed message says otherwise
    expect((await post(proxyUrl, req)).status).toBe(401);
  });

  it('refuses a replayed nonce (401)', async () => {
    const req = signed({ batchId: 'r', task: 'score_alerts', alerts, uuid: freshUuid() });
    expect((await post(proxyUrl, req)).status).toBe(200);
    const replay = await post(proxyUrl, req);
    expect(replay.status).toBe(401);
    expect(replay.json.message).toMatch(/Nonce is too old/);
  });

  it('refuses nonces from the far past and the far future (401)', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const past = signed({
      batchId: 'p',
      task: 'score_alerts',
      uuid: freshUuid(),
      nonce: now - 60_000_000_000n,
    });
    expect((await post(proxyUrl, past)).status).toBe(401);
    const future = signed({
      batchId: 'f',
      task: 'score_alerts',
      uuid: freshUuid(),
      nonce: now + 3_600_000_000_000n,
    });
    expect((await post(proxyUrl, future)).status).toBe(401);
  });

  it('refuses a tampered body whose hash no longer matches (400)', async () => {
    const req = signed({
      batchId: 'original',
      bodyBatchId: 'tampered',
      task: 'score_alerts',
      uuid: freshUuid(),
    });
    const res = await post(proxyUrl, req);
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/body hash mismatch/);
  });

  it('answers 404 for an unknown synapse', async () => {
    const res = await post(
      proxyUrl,
      signed({ batchId: 'x', task: 'score_alerts', uuid: freshUuid() }),
      '/Dummy',
    );
    expect(res.status).toBe(404);
  });

  it('refuses unregistered callers and callers without a validator permit (403)', async () => {
    expect(
      (await post(proxyUrl, signed({ batchId: 'x', task: 'score_alerts', uuid: freshUuid() }, strangerRaw)))
        .status,
    ).toBe(403);
    expect(
      (await post(proxyUrl, signed({ batchId: 'x', task: 'score_alerts', uuid: freshUuid() }, noPermitRaw)))
        .status,
    ).toBe(403);
  });

  it('refuses callers below the minimum stake, and lets allow-listed hotkeys through', async () => {
    const { url } = await startProxy({
      blacklist: { minStake: 5000, allowedHotkeys: new Set([strangerRaw.address]) },
    });
    expect((await post(url, signed({ batchId: 'x', task: 'score_alerts', uuid: freshUuid() }))).status).toBe(
      403,
    );
    expect(
      (
        await post(
          url,
          signed({ batchId: 'x', task: 'score_alerts', alerts, uuid: freshUuid() }, strangerRaw),
        )
      ).status,
    ).toBe(200);
  });

  it('refuses an oversized body (413)', async () => {
    const big = Array.from({ length: 40_000 }, (_, i) => ({ alert_id: `big-${i}`, address: `address-${i}` }));
    const res = await post(
      proxyUrl,
      signed({ batchId: 'big', task: 'score_alerts', alerts: big, uuid: freshUuid() }),
    );
    expect(res.status).toBe(413);
  });

  it('drops a slow-loris client and keeps serving', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(proxyPort, '127.0.0.1', () => {
        socket.write('POST /AmlScoringSynapse HTTP/1.1\r\nHost: x\r\nname: AmlScoringSynapse\r\n'); // never finished
      });
      socket.on('data', () => {});
      socket.on('close', () => resolve(true));
      socket.on('error', () => {});
      setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 10_000);
    });
    expect(closed).toBe(true);
    const res = await post(
      proxyUrl,
      signed({ batchId: 'after-loris', task: 'score_alerts', alerts, uuid: freshUuid() }),
    );
    expect(res.status).toBe(200);
  });

  it('answers 503 with error set when the miner API is down', async () => {
    const { port } = await startProxy({ minerApiUrl: 'http://127.0.0.1:1' });
    const answer = await dendrite.call(
      { ip: '127.0.0.1', port, hotkey: minerKey.address },
      { task: 'score_alerts', batch_id: 'down', alerts, timeout: 5 },
    );
    expect(answer.dendrite.status_code).toBe(503);
    expect(answer.error).toMatch(/unavailable/);
    expect(answer.miner_id).toBeNull();
  });

  it('answers 408 when the miner API outlives the synapse timeout', async () => {
    const { port } = await startProxy({ minerApiUrl: slowApi.url, requestTimeoutMs: 10_000 });
    const raw = await post(
      `http://127.0.0.1:${port}`,
      signed({ batchId: 'slow', task: 'score_alerts', alerts, uuid: freshUuid(), timeout: 0.5 }),
    );
    expect(raw.status).toBe(408);
    expect(raw.json.error).toMatch(/timeout/);
  });

  it('answers 503 when its queue is full', async () => {
    const { url } = await startProxy({
      minerApiUrl: slowApi.url,
      maxConcurrent: 1,
      maxQueued: 1,
      requestTimeoutMs: 10_000,
    });
    const statuses = await Promise.all(
      [0, 1, 2].map(async (i) => {
        await new Promise((r) => setTimeout(r, i * 250)); // arrive in order, all while the first is running
        return (
          await post(
            url,
            signed({ batchId: `q${i}`, task: 'score_alerts', alerts, uuid: freshUuid(), timeout: 8 }),
          )
        ).status;
      }),
    );
    expect(statuses).toEqual([200, 200, 503]);
  });

  it('answers 503 when request bodies in memory reach their budget', async () => {
    const { url } = await startProxy({
      minerApiUrl: slowApi.url,
      maxBodyBytes: 1024 * 1024,
      maxBufferedBytes: 1024 * 1024,
      requestTimeoutMs: 10_000,
    });
    const rows = Array.from({ length: 12_000 }, (_, i) => ({ alert_id: `m-${i}`, address: `address-${i}` })); // ~0.6 MB
    const statuses = await Promise.all(
      [0, 1].map(async (i) => {
        await new Promise((r) => setTimeout(r, i * 300)); // the second arrives while the first is held
        return (
          await post(
            url,
            signed({ batchId: `mem${i}`, task: 'score_alerts', alerts: rows, uuid: freshUuid(), timeout: 8 }),
          )
        ).status;
      }),
    );
    expect(statuses).toEqual([200, 503]);
  });

  it('answers 500 with error set when the miner API answers garbage', async () => {
    const garbage = createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"not":"an array"'),
      );
    });
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    try {
      const { url } = await startProxy({
        minerApiUrl: `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`,
      });
      const res = await post(url, signed({ batchId: 'g', task: 'score_alerts', alerts, uuid: freshUuid() }));
      expect(res.status).toBe(500);
      expect(res.json.error).toMatch(/not a JSON array/);
    } finally {
      garbage.closeAllConnections();
      await new Promise((r) => garbage.close(r));
    }
  });

  it('still serves after all of the above', async () => {
    const [answer] = await dendrite.query([{ ip: '127.0.0.1', port: proxyPort, hotkey: minerKey.address }], {
      task: 'score_alerts',
      batch_id: 'final',
      alerts,
      timeout: 10,
    });
    expect(answer.dendrite.status_code).toBe(200);
  });
});
