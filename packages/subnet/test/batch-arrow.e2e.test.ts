/**
 * The compact transport end to end on 127.0.0.1 with the shipped models: dendrite → axon proxy →
 * a recording hop → `aml-miner serve` as its own process. batch_arrow scores exactly as the JSON
 * tables do; the proxy hands the API the batch the validator encoded; the signature covers
 * them (a tampered batch_arrow is a 400 at the proxy); a malformed one is a 400 from the API that
 * names the problem; explain:false answers carry no explanations and the same scores; one Arrow
 * stream per table as multipart/form-data scores the same too.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { type AlertScore, featureTableToRows, generateBatch } from '@aml/miner-template';
import { encodeBatchArrowField, splitArrowFrames, writeArrowFrames } from '@aml/miner-template/data';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxonProxy } from '../src/axon/axon-server.js';
import { StaticNeuronRegistry } from '../src/axon/neuron-registry.js';
import { Dendrite } from '../src/dendrite/dendrite.js';
import { cryptoReady } from '../src/protocol/signing.js';
import { buildSignedRequest, type RawKey, rawKeyFromSeed } from './support/independent-signer.js';

const { batch } = generateBatch({
  network: 'torus',
  date: '2026-01-01',
  windowDays: 7,
  alerts: 150,
  seed: 3,
});
const jsonTables = {
  alerts: batch.alerts as never,
  features: featureTableToRows(batch.features) as never,
  clusters: batch.clusters as never,
  money_flows: batch.money_flows as never,
};
const field = encodeBatchArrowField(batch);

/** The template's own helper that runs `aml-miner serve` as a process (outside this package's rootDir). */
interface ServeProcess {
  child: import('node:child_process').ChildProcess;
  url: string;
}
const SERVE_HELPER = new URL('../../miner-template/test/api/serve-process.ts', import.meta.url).href;
const startServeProcess = async (): Promise<ServeProcess> =>
  ((await import(SERVE_HELPER)) as { startServeProcess(): Promise<ServeProcess> }).startServeProcess();

let api: ServeProcess;
let hop: Server;
let proxy: AxonProxy;
let dendrite: Dendrite;
let miner: KeyringPair;
let validatorRaw: RawKey;
let axon: { ip: string; port: number; hotkey: string };
/** Bodies as the miner API received them from the proxy. */
const received: Buffer[] = [];

/** Passes every request on to the API unchanged and keeps the body it carried. */
function startRecordingHop(target: string): Promise<Server> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (req.method === 'POST') received.push(body);
    const answer = await request(`${target}${req.url}`, {
      method: req.method as 'GET' | 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      body: req.method === 'POST' ? body : undefined,
    });
    res.writeHead(answer.statusCode, { 'content-type': 'application/json' });
    res.end(Buffer.from(await answer.body.arrayBuffer()));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  await cryptoReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  miner = keyring.addFromSeed(new Uint8Array(32).fill(41));
  const validator = keyring.addFromSeed(new Uint8Array(32).fill(42));
  validatorRaw = rawKeyFromSeed(new Uint8Array(32).fill(42));
  api = await startServeProcess();
  hop = await startRecordingHop(api.url);
  proxy = new AxonProxy({
    hotkey: miner,
    minerApiUrl: `http://127.0.0.1:${(hop.address() as AddressInfo).port}`,
    registry: StaticNeuronRegistry.validators([validator.address], 10),
    host: '127.0.0.1',
    port: 0,
  });
  const { port } = await proxy.listen();
  axon = { ip: '127.0.0.1', port, hotkey: miner.address };
  dendrite = new Dendrite({ signer: validator });
}, 60_000);

afterAll(async () => {
  await dendrite?.close();
  await proxy?.close();
  await new Promise<void>((resolve) => (hop ? hop.close(() => resolve()) : resolve()));
  api?.child.kill('SIGTERM');
});

async function score(fields: Record<string, unknown>): Promise<AlertScore[]> {
  const [answer] = await dendrite.query([axon], {
    task: 'score_alerts',
    batch_id: `b-${received.length}`,
    timeout: 60,
    ...fields,
  });
  expect(answer.dendrite.status_code, answer.dendrite.status_message).toBe(200);
  return answer.scores as AlertScore[];
}

const scoresById = (entries: AlertScore[]) => new Map(entries.map((e) => [e.alert_id, e.score]));
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

describe('batch_arrow through the proxy to the real miner API', () => {
  let json: AlertScore[];

  it('scores exactly as the JSON tables do, and explain:false drops only the explanations', async () => {
    json = await score(jsonTables);
    const arrow = await score({ batch_arrow: field });
    const quiet = await score({ batch_arrow: field, explain: false });
    expect(json).toHaveLength(batch.alerts.length);
    expect(json.every((e) => typeof e.explain_json === 'string')).toBe(true);
    expect(scoresById(arrow)).toEqual(scoresById(json));
    expect(arrow.map((e) => e.explain_json)).toEqual(json.map((e) => e.explain_json));
    expect(scoresById(quiet)).toEqual(scoresById(json));
    expect(quiet.every((e) => !('explain_json' in e))).toBe(true);
  }, 120_000);

  it('hands the API the batch the validator encoded, brotli once the axon advertised it', () => {
    // The JSON request went first and plain; the axon's answer advertised gzip bodies and brotli
    // batches (docs/protocol.md, negotiated compression), so the batch_arrow requests after it
    // carried the batch as "AMLZ", codec 1, then brotli, transcoded once by the dendrite.
    const forwarded = received.at(-1)!.toString('utf8');
    const sent = JSON.parse(forwarded) as { batch_arrow: string; alerts: unknown[] };
    const bytes = Buffer.from(sent.batch_arrow, 'base64');
    expect(bytes.subarray(0, 5)).toEqual(Buffer.from([0x41, 0x4d, 0x4c, 0x5a, 1]));
    expect(sha256(brotliDecompressSync(bytes.subarray(5)))).toBe(
      sha256(gunzipSync(Buffer.from(field, 'base64'))),
    );
    expect(sent.alerts).toEqual([]);
  });

  it('refuses a batch_arrow changed after signing (body hash)', async () => {
    const tampered = `${field.slice(0, 100)}${field[100] === 'A' ? 'B' : 'A'}${field.slice(101)}`;
    const before = received.length;
    const signed = buildSignedRequest(validatorRaw, miner.address, {
      batchId: 'tamper',
      task: 'score_alerts',
      batchArrow: field,
      bodyBatchArrow: tampered,
    });
    const res = await request(`http://127.0.0.1:${axon.port}/AmlScoringSynapse`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    const body = (await res.body.json()) as { message: string };
    expect(res.statusCode).toBe(400);
    expect(body.message).toMatch(/body hash/i);
    expect(received.length).toBe(before);
  });

  it('answers a malformed batch_arrow with a 400 naming the problem, never a 5xx', async () => {
    const frames = splitArrowFrames(gunzipSync(Buffer.from(field, 'base64')));
    const pack = (parts: [string, Uint8Array][]) =>
      gzipSync(writeArrowFrames(parts as never)).toString('base64');
    const cases: [string, RegExp][] = [
      ['%%%not-base64%%%', /not base64/],
      [Buffer.from('not gzip at all').toString('base64'), /not gzip/],
      [gzipSync(Buffer.from('AMLA\u0001\u0000\u0000\u0000garbage')).toString('base64'), /Arrow batch body/],
      [pack([['features', frames.get('features')!]]), /alerts table is missing/],
      [pack([['alerts', frames.get('clusters')!]]), /alerts\[0\]\.alert_id/],
    ];
    let n = 0;
    for (const [bad, message] of cases) {
      const signed = buildSignedRequest(validatorRaw, miner.address, {
        batchId: `bad-${n++}`,
        task: 'score_alerts',
        batchArrow: bad,
        timeout: 30,
      });
      const res = await request(`http://127.0.0.1:${axon.port}/AmlScoringSynapse`, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
      });
      const body = (await res.body.json()) as { message: string };
      expect(res.statusCode, body.message).toBe(400);
      expect(body.message).toMatch(message);
    }
  });

  it('scores one plain Arrow stream per table, posted as multipart/form-data, the same', async () => {
    const frames = splitArrowFrames(gunzipSync(Buffer.from(field, 'base64')));
    const form = new FormData();
    for (const [name, bytes] of frames)
      form.append(name, new Blob([Uint8Array.from(bytes)]), `${name}.arrows`);
    form.append('explain', 'false');
    const res = await fetch(`${api.url}/score/alerts`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const entries = (await res.json()) as AlertScore[];
    expect(scoresById(entries)).toEqual(scoresById(json));
    expect(entries.every((e) => !('explain_json' in e))).toBe(true);
  }, 60_000);
});
