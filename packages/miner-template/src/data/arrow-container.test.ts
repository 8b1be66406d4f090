import { gzipSync } from 'node:zlib';
import { Dictionary, tableFromArrays, tableFromIPC, tableToIPC, Utf8 } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestFromBody } from '../api/batch-body.js';
import { isAmlError } from '../errors.js';
import { generateBatch } from '../synthetic/generate.js';
import {
  encodeBatchArrowField,
  inflateBatchArrow,
  splitArrowFrames,
  unwrapBatchArrowField,
  writeArrowFrames,
} from './arrow-container.js';
import { featureTableToRows } from './feature-table.js';

const { batch } = generateBatch({ network: 'torus', date: '2026-01-01', windowDays: 7, alerts: 40, seed: 5 });
const LIMIT = 64 * 1024 * 1024;

function refusal(body: unknown): { status: number; message: string } {
  try {
    requestFromBody(body, LIMIT);
  } catch (err) {
    if (isAmlError(err)) return { status: err.status, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

const field = (container: Uint8Array) => gzipSync(container).toString('base64');
const stream = (columns: Record<string, string[]>) => tableToIPC(tableFromArrays(columns), 'stream');

describe('batch_arrow', () => {
  it('decodes to the batch the JSON tables give', () => {
    const json = requestFromBody(
      {
        alerts: batch.alerts,
        features: featureTableToRows(batch.features),
        clusters: batch.clusters,
        money_flows: batch.money_flows,
      },
      LIMIT,
    ).batch;
    const arrow = requestFromBody({ batch_arrow: encodeBatchArrowField(batch), alerts: [] }, LIMIT).batch;
    expect(arrow.alerts).toEqual(json.alerts);
    expect(arrow.clusters).toEqual(json.clusters);
    expect(arrow.money_flows).toEqual(json.money_flows);
    expect(arrow.features.address).toEqual(json.features.address);
    expect(new Map(arrow.features.columns)).toEqual(new Map(json.features.columns));
    expect(arrow.money_flows.length).toBeGreaterThan(0);
  });

  it('writes the repeated text of the row tables as dictionaries', () => {
    const frames = splitArrowFrames(unwrapBatchArrowField(encodeBatchArrowField(batch), LIMIT));
    const flows = tableFromIPC(frames.get('money_flows')!);
    expect(flows.schema.fields.find((f) => f.name === 'from_address')?.type).toBeInstanceOf(Dictionary);
    const alerts = tableFromIPC(frames.get('alerts')!);
    expect(alerts.schema.fields.find((f) => f.name === 'processing_date')?.type).toBeInstanceOf(Dictionary);
    expect(alerts.schema.fields.find((f) => f.name === 'alert_id')?.type).toBeInstanceOf(Utf8);
  });

  it('is the same text for the same batch (the body hash must not change on a rebuild)', () => {
    expect(encodeBatchArrowField(batch)).toBe(encodeBatchArrowField(structuredClone(batch)));
  });

  it('carries explain beside it', () => {
    const req = requestFromBody({ batch_arrow: encodeBatchArrowField(batch), explain: false }, LIMIT);
    expect(req.options).toEqual({ explain: false });
    expect(requestFromBody({ alerts: [] }, LIMIT).options).toEqual({});
  });

  it('refuses malformed fields with a 400 naming the problem', () => {
    const cases: [unknown, RegExp][] = [
      [{ batch_arrow: 'not base64!' }, /not base64/],
      [{ batch_arrow: 'abc' }, /not base64/],
      [{ batch_arrow: Buffer.from('plain text, not gzip').toString('base64') }, /not gzip/],
      [{ batch_arrow: field(new TextEncoder().encode('AMLA garbage')) }, /invalid Arrow batch body/],
      [{ batch_arrow: field(writeArrowFrames([])) }, /alerts table is missing/],
      [
        { batch_arrow: field(writeArrowFrames([['alerts', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])]])) },
        /invalid Arrow batch body/,
      ],
      [
        { batch_arrow: field(writeArrowFrames([['alerts', stream({ wrong: ['x'] })]])) },
        /alerts\[0\]\.alert_id/,
      ],
      [{ batch_arrow: 42 }, /non-empty base64 string/],
      [{ batch_arrow: encodeBatchArrowField(batch), alerts: [{ alert_id: 'a' }] }, /not both \(alerts/],
      [{ alerts: [], explain: 'no' }, /explain: expected a boolean/],
    ];
    for (const [body, message] of cases) {
      const got = refusal(body);
      expect(got.status, String(message)).toBe(400);
      expect(got.message).toMatch(message);
    }
  });

  it('inflates into one buffer of the declared size, and any gzip data to its bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 5_000 }), { minLength: 1, maxLength: 3 }), (parts) => {
        // several gzip members: the trailer declares only the last one's size
        const gz = Buffer.concat(parts.map((p) => gzipSync(p)));
        const out = inflateBatchArrow(gz, 1 << 20);
        expect(Buffer.from(out)).toEqual(Buffer.concat(parts));
      }),
      { numRuns: 200 },
    );
    const big = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
    const out = inflateBatchArrow(gzipSync(big), 1 << 20);
    expect(out.buffer.byteLength).toBe(big.length);
    expect(Buffer.from(out)).toEqual(Buffer.from(big));
  });

  it('refuses a gzip trailer that lies about the size, as a format error', () => {
    const gz = gzipSync(new Uint8Array(100_000).fill(3));
    for (const size of [10, 200_000, 0xffffffff]) {
      const lying = Buffer.from(gz);
      lying.writeUInt32LE(size, lying.length - 4);
      const err = (() => {
        try {
          inflateBatchArrow(lying, 1 << 20);
        } catch (e) {
          return e;
        }
      })();
      expect(isAmlError(err) && err.code).toBe('AML_ERR_API_ARROW_FORMAT');
    }
  });

  it('caps what the field may inflate to', () => {
    const bomb = gzipSync(new Uint8Array(4 * 1024 * 1024)).toString('base64');
    expect(() => unwrapBatchArrowField(bomb, 1024 * 1024)).toThrow(/inflates to more than 1048576 bytes/);
  });

  it('takes exactly the padded standard base64 strings as base64', () => {
    const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
    const chars = [...'AZaz09+/=-_ \n!'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 16 }), (letters) => {
        const text = letters.join('');
        let message = '';
        try {
          unwrapBatchArrowField(text, LIMIT);
        } catch (err) {
          message = (err as Error).message;
        }
        const standard = text.length % 4 === 0 && STANDARD.test(text);
        // every input fails (none is gzip); the question is only which check refuses it
        expect(message.includes('is not base64')).toBe(!standard);
      }),
      { numRuns: 2000 },
    );
  });
});
