/**
 * Negotiated compression (docs/protocol.md) end to end over real processes on 127.0.0.1: our
 * dendrite → a recording hop → `aml-miner-proxy` → `aml-miner serve` with the shipped models. The
 * first request to an axon is plain; the axon's answer advertises what it takes, and later requests
 * are gzip-coded bodies carrying a brotli batch_arrow, which score the same. The hop can also play
 * an axon without support (it drops the advertisement, as a Python axon never sends it) and one
 * that stops supporting it (415). Plain clients and malformed codings get their answers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { type AlertScore, generateBatch } from '@aml/miner-template';
import { encodeBatchArrowField } from '@aml/miner-template/data';
import { Keyring } from '@polkadot/keyring';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dendrite } from '../src/dendrite/dendrite.js';
import { cryptoReady } from '../src/protocol/signing.js';
import { type BinProcess, built, freePort, startMinerApiBin, startProxyBin } from './support/bin-process.js';
import { buildSignedRequest, type RawKey, rawKeyFromSeed } from './support/independent-signer.js';

const MINER_SEED = `0x${'61'.repeat(32)}`;
const VALIDATOR_SEED = new Uint8Array(32).fill(62);
const { batch } = generateBatch({
  network: 'torus',
  date: '2026-01-01',
  windowDays: 7,
  alerts: 120,
  seed: 9,
});
const field = encodeBatchArrowField(batch);
const container = gunzipSync(Buffer.from(field, 'base64'));

interface Exchange {
  requestHeaders: Record<string, string | string[] | undefined>;
  /** The request body as it crossed the wire. */
  requestBody: Buffer;
  status: number;
  responseHeaders: Record<string, string | string[] | undefined>;
}

/** How the hop treats traffic: pass it on, play an axon without support, or refuse codings. */
type HopMode = 'pass' | 'no-support' | 'refuse-coding';

let api: BinProcess;
const proxies: BinProcess[] = [];
let hop: Server;
let hopMode: HopMode = 'pass';
let hopTarget = '';
const wire: Exchange[] = [];
let validatorRaw: RawKey;
let minerHotkey: string;

/** Forwards requests byte for byte, records them, and answers with the upstream's bytes. */
function startHop(): Promise<Server> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const exchange: Exchange = {
      requestHeaders: req.headers,
      requestBody: body,
      status: 0,
      responseHeaders: {},
    };
    wire.push(exchange);
    if (hopMode === 'refuse-coding' && req.headers['content-encoding']) {
      exchange.status = 415;
      res.writeHead(415, { 'content-type': 'application/json' }).end('{"message":"no codings here"}');
      return;
    }
    const { host: _host, connection: _connection, ...headers } = req.headers;
    const upstream = await request(`${hopTarget}${req.url}`, {
      method: req.method as 'POST',
      headers: headers as Record<string, string>,
      body,
    });
    const answer = Buffer.from(await upstream.body.arrayBuffer());
    const out = { ...upstream.headers };
    delete out['transfer-encoding'];
    delete out.connection;
    if (hopMode === 'no-support') {
      delete out['accept-encoding'];
      delete out['aml-batch-arrow-codecs'];
    }
    exchange.status = upstream.statusCode;
    exchange.responseHeaders = out;
    res.writeHead(upstream.statusCode, out as Record<string, string>).end(answer);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function startProxy(apiUrl: string, extra: string[] = []): Promise<string> {
  const port = await freePort();
  proxies.push(
    await startProxyBin(apiUrl, port, MINER_SEED, [
      '--netuid',
      '1',
      '--blacklist.allowed_hotkeys',
      validatorRaw.address,
      '--axon.max_body_mb',
      '4',
      ...extra,
    ]),
  );
  return `http://127.0.0.1:${port}`;
}

let defaultProxy = '';
let gzipOnlyProxy = '';

beforeAll(async () => {
  if (!built) return;
  await cryptoReady();
  validatorRaw = rawKeyFromSeed(VALIDATOR_SEED);
  minerHotkey = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(MINER_SEED).address;
  const started = await startMinerApiBin(await freePort());
  api = started.api;
  defaultProxy = await startProxy(started.url);
  gzipOnlyProxy = await startProxy(started.url, ['--axon.batch_codecs', 'gzip']);
  hop = await startHop();
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (hop ? hop.close(() => resolve()) : resolve()));
  for (const p of [...proxies, api].filter(Boolean)) {
    p.kill();
    await p.exited;
  }
});

/** A fresh dendrite (nothing learned yet) talking to `target` through the hop. */
function viaHop(target: string, mode: HopMode = 'pass') {
  hopTarget = target;
  hopMode = mode;
  const dendrite = new Dendrite({ signer: new Keyring({ type: 'sr25519' }).addFromSeed(VALIDATOR_SEED) });
  const axon = { ip: '127.0.0.1', port: (hop.address() as AddressInfo).port, hotkey: minerHotkey };
  let n = 0;
  return {
    dendrite,
    async score(): Promise<{ scores: AlertScore[]; exchange: Exchange }> {
      const [answer] = await dendrite.query([axon], {
        task: 'score_alerts',
        batch_id: `neg-${n++}`,
        batch_arrow: field,
        explain: false,
        timeout: 60,
      });
      expect(answer.dendrite.status_code, answer.dendrite.status_message).toBe(200);
      return { scores: answer.scores as AlertScore[], exchange: wire.at(-1)! };
    },
  };
}

/** The synapse JSON a recorded request carried, decoded with zlib alone. */
function sentSynapse(exchange: Exchange): { batch_arrow: string } {
  const coding = exchange.requestHeaders['content-encoding'];
  const text = coding === 'gzip' ? gunzipSync(exchange.requestBody) : exchange.requestBody;
  return JSON.parse(text.toString('utf8')) as { batch_arrow: string };
}

const byId = (scores: AlertScore[]) => new Map(scores.map((s) => [s.alert_id, s.score]));

describe.skipIf(!built)('negotiated compression between our dendrite and our axon', () => {
  it('sends plain first, then gzip bodies with a brotli batch_arrow that score the same', async () => {
    const { dendrite, score } = viaHop(defaultProxy);
    try {
      const first = await score();
      expect(first.exchange.requestHeaders['content-encoding']).toBeUndefined();
      expect(sentSynapse(first.exchange).batch_arrow).toBe(field);
      expect(first.exchange.responseHeaders['accept-encoding']).toBe('gzip, br');
      expect(first.exchange.responseHeaders['aml-batch-arrow-codecs']).toBe('gzip, br');
      // our dendrite asked for compressed answers, and the axon gave one
      expect(first.exchange.responseHeaders['content-encoding']).toBe('gzip');

      const second = await score();
      expect(second.exchange.requestHeaders['content-encoding']).toBe('gzip');
      const sent = Buffer.from(sentSynapse(second.exchange).batch_arrow, 'base64');
      expect(sent.subarray(0, 5)).toEqual(Buffer.from([0x41, 0x4d, 0x4c, 0x5a, 1])); // "AMLZ", brotli
      expect(brotliDecompressSync(sent.subarray(5)).equals(container)).toBe(true);
      expect(second.exchange.requestBody.length).toBeLessThan(first.exchange.requestBody.length * 0.85);
      expect(byId(second.scores)).toEqual(byId(first.scores));
      expect(second.scores).toHaveLength(batch.alerts.length);
    } finally {
      await dendrite.close();
    }
  }, 120_000);

  // The gzip batch_arrow stays for an API that reads only gzip, and everything stays plain for an
  // axon that advertises nothing (a Python axon).
  it.each([
    ['an axon whose API reads only gzip', () => gzipOnlyProxy, 'pass', 'gzip'],
    ['an axon that advertises nothing', () => defaultProxy, 'no-support', undefined],
  ] as const)(
    'keeps the gzip batch_arrow for %s',
    async (_who, target, mode, coding) => {
      const { dendrite, score } = viaHop(target(), mode);
      try {
        await score();
        const second = await score();
        expect(second.exchange.requestHeaders['content-encoding']).toBe(coding);
        expect(sentSynapse(second.exchange).batch_arrow).toBe(field);
      } finally {
        await dendrite.close();
      }
    },
    120_000,
  );

  it('resends plain, once, when an axon refuses the coding it advertised before (415)', async () => {
    const { dendrite, score } = viaHop(defaultProxy);
    try {
      await score();
      hopMode = 'refuse-coding';
      const before = wire.length;
      const answer = await score();
      const tries = wire.slice(before);
      expect(tries.map((e) => [e.status, e.requestHeaders['content-encoding']])).toEqual([
        [415, 'gzip'],
        [200, undefined],
      ]);
      expect(sentSynapse(answer.exchange).batch_arrow).toBe(field);
    } finally {
      await dendrite.close();
    }
  }, 120_000);
});

describe.skipIf(!built)('the axon with clients that do not negotiate', () => {
  let uuid = 0;
  const post = async (body: Buffer | string, headers: Record<string, string>) => {
    const res = await request(`${defaultProxy}/AmlScoringSynapse`, { method: 'POST', headers, body });
    const raw = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: res.headers, raw };
  };
  const signed = (batchId: string) =>
    buildSignedRequest(validatorRaw, minerHotkey, {
      batchId,
      task: 'score_alerts',
      batchArrow: field,
      explain: false,
      uuid: `plain-${uuid++}`,
      timeout: 60,
    });

  it('answers a plain client plainly', async () => {
    const req = signed('plain');
    const res = await post(req.body, req.headers);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    const answer = JSON.parse(res.raw.toString('utf8')) as { scores: AlertScore[] };
    expect(answer.scores).toHaveLength(batch.alerts.length);
  }, 60_000);

  it('decodes a gzip body from any client, and refuses a malformed or unknown coding with a message', async () => {
    const good = signed('gzip-body');
    const ok = await post(gzipSync(good.body), { ...good.headers, 'content-encoding': 'gzip' });
    expect(ok.status, ok.raw.toString()).toBe(200);

    const bad = signed('not-gzip');
    const malformed = await post(bad.body, { ...bad.headers, 'content-encoding': 'gzip' });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.raw.toString()).message).toMatch(
      /Content-Encoding gzip, but the body is not gzip data/,
    );

    const odd = signed('compress');
    const unknown = await post(odd.body, { ...odd.headers, 'content-encoding': 'compress' });
    expect(unknown.status).toBe(415);
    expect(JSON.parse(unknown.raw.toString()).message).toMatch(
      /unsupported Content-Encoding compress; this axon accepts gzip, br/,
    );
    expect(unknown.headers['accept-encoding']).toBe('gzip, br');

    // 5 MB of padding inflates past --axon.max_body_mb 4 from a body of a few kilobytes
    const big = signed('bomb');
    const padded = big.body.replace('"task"', `"pad":"${' '.repeat(5 * 1024 * 1024)}","task"`);
    const bomb = await post(gzipSync(padded), { ...big.headers, 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect(JSON.parse(bomb.raw.toString()).message).toMatch(/--axon\.max_body_mb/);
  }, 60_000);
});
