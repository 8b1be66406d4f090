import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { requestFromBody } from '../api/batch-body.js';
import { isAmlError } from '../errors.js';
import { generateBatch } from '../synthetic/generate.js';
import { encodeBatchArrowField, encodeBatchContainer, wrapBatchArrowField } from './arrow-container.js';

const { batch } = generateBatch({ network: 'torus', date: '2026-01-01', windowDays: 7, alerts: 40, seed: 7 });
const LIMIT = 64 * 1024 * 1024;
const container = encodeBatchContainer(batch);

/** "AMLZ", the codec byte, then the stream: written by hand, as a Python validator would. */
const amlz = (codec: number, stream: Uint8Array) =>
  Buffer.concat([Buffer.from('AMLZ', 'latin1'), Buffer.from([codec]), stream]).toString('base64');

function refusal(field: string, limit = LIMIT): { status: number; message: string } {
  try {
    requestFromBody({ batch_arrow: field }, limit);
  } catch (err) {
    if (isAmlError(err)) return { status: err.status, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('batch_arrow codecs', () => {
  it('writes brotli as "AMLZ", codec byte 1, then a brotli stream of the container', async () => {
    const bytes = Buffer.from(await wrapBatchArrowField(container, 'br'), 'base64');
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('AMLZ');
    expect(bytes[4]).toBe(1);
    expect(Buffer.from(brotliDecompressSync(bytes.subarray(5))).equals(Buffer.from(container))).toBe(true);
  });

  it('writes gzip as a plain gzip stream, the same text as the synchronous encoder', async () => {
    const text = await wrapBatchArrowField(container, 'gzip');
    expect(text).toBe(encodeBatchArrowField(batch));
    expect(Buffer.from(text, 'base64').subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('is the same text for the same container (the body hash must not change on a rebuild)', async () => {
    expect(await wrapBatchArrowField(container, 'br')).toBe(
      await wrapBatchArrowField(encodeBatchContainer(structuredClone(batch)), 'br'),
    );
  });

  it('reads any brotli stream behind the header as the batch the gzip field gives', () => {
    const expected = requestFromBody({ batch_arrow: encodeBatchArrowField(batch) }, LIMIT).batch;
    const field = amlz(1, brotliCompressSync(container));
    expect(requestFromBody({ batch_arrow: field }, LIMIT).batch).toEqual(expected);
  });

  it('refuses unknown codecs, bad brotli and brotli bombs with a 400 naming the problem', () => {
    const cases: [string, RegExp, number?][] = [
      [amlz(7, brotliCompressSync(container)), /compression codec 7 after "AMLZ"; this reader knows 1/],
      [amlz(1, Buffer.from('not brotli at all')), /batch_arrow is not brotli data/],
      [
        amlz(1, brotliCompressSync(new Uint8Array(4 * 1024 * 1024))),
        /inflates to more than 1048576/,
        1 << 20,
      ],
      [gzipSync(Buffer.from('AMLZ')).toString('base64'), /invalid Arrow batch body/],
    ];
    for (const [field, message, limit] of cases) {
      const got = refusal(field, limit);
      expect(got.status, String(message)).toBe(400);
      expect(got.message).toMatch(message);
    }
  });
});
