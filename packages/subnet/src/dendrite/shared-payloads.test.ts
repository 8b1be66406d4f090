import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { encodeBatchArrowField } from '@aml/miner-template/data';
import { generateBatch } from '@aml/miner-template/synthetic';
import { describe, expect, it } from 'vitest';
import { createSynapse } from '../protocol/synapse.js';
import { SharedPayloads } from './shared-payloads.js';

const sha3 = (text: string) => createHash('sha3-256').update(text, 'utf8').digest('hex');
const { batch } = generateBatch({ network: 'torus', date: '2026-01-01', windowDays: 7, alerts: 30, seed: 4 });
const field = encodeBatchArrowField(batch);
const synapse = (batchArrow: string) =>
  createSynapse({ task: 'score_alerts', batch_id: 'b-1', batch_arrow: batchArrow, explain: false });
const fieldOf = (payload: Buffer) =>
  (JSON.parse(`{"x":0${payload.toString('utf8')}`) as { batch_arrow: string }).batch_arrow;

describe('SharedPayloads', () => {
  it('sends the gzip field plain by default, hashed as docs/protocol.md says', async () => {
    const body = await new SharedPayloads(synapse(field)).forAxon({ gzipBody: false, brotliBatch: false });
    expect(fieldOf(body.payload)).toBe(field);
    expect(body.bodyHash).toBe(sha3(sha3('b-1') + sha3(field)));
    expect(body.gzipped).toBeUndefined();
  });

  it('transcodes to brotli once, hashes the field as sent, and gzips the payload as one member', async () => {
    const payloads = new SharedPayloads(synapse(field));
    const a = await payloads.forAxon({ gzipBody: true, brotliBatch: true });
    const b = await payloads.forAxon({ gzipBody: true, brotliBatch: true });
    expect(b.payload).toBe(a.payload);
    expect(b.gzipped).toBe(a.gzipped);
    const sent = fieldOf(a.payload);
    const bytes = Buffer.from(sent, 'base64');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('AMLZ\u0001');
    expect(brotliDecompressSync(bytes.subarray(5))).toEqual(gunzipSync(Buffer.from(field, 'base64')));
    expect(a.bodyHash).toBe(sha3(sha3('b-1') + sha3(sent)));
    expect(gunzipSync(a.gzipped as Buffer)).toEqual(a.payload);
  });

  it('sends a field it cannot transcode as it came', async () => {
    const odd = Buffer.from('not a gzip stream').toString('base64');
    const body = await new SharedPayloads(synapse(odd)).forAxon({ gzipBody: false, brotliBatch: true });
    expect(fieldOf(body.payload)).toBe(odd);
    expect(body.bodyHash).toBe(sha3(sha3('b-1') + sha3(odd)));
  });
});
