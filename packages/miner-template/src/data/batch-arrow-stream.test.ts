/**
 * The streamed decoders against the whole-buffer ones, on a real batch's container and field and
 * on damaged copies of them (cut short, bytes changed before or after compression, characters that
 * are not base64, JSON escapes, a small inflate cap), fed in random chunks: the same tables, or
 * the same error (code and message).
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAmlError } from '../errors.js';
import { canon } from '../schemas/wire-arbitraries.test-support.js';
import { generateBatch } from '../synthetic/generate.js';
import { decodeBatchArrow } from './arrow-batch.js';
import { compressContainer } from './arrow-compression.js';
import { encodeBatchContainer, unwrapBatchArrowField } from './arrow-container.js';
import { BatchArrowStream } from './batch-arrow-stream.js';
import { ContainerFrameReader } from './container-frames.js';

const { batch } = generateBatch({ network: 'torus', date: '2026-01-01', windowDays: 7, alerts: 30, seed: 9 });
const container = encodeBatchContainer(batch);
const LIMIT = 1 << 30;

type Outcome = { ok: true; value: string } | { ok: false; code: string; message: string };

async function outcomeOf(run: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, value: canon(await run()) };
  } catch (err) {
    if (!isAmlError(err)) throw err;
    return { ok: false, code: err.code, message: err.message };
  }
}

/** `bytes` in pieces of the given sizes (the rest in one piece). */
function pieces(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const cut of cuts) {
    if (at >= bytes.length) break;
    out.push(bytes.subarray(at, Math.min(bytes.length, at + cut)));
    at += cut;
  }
  if (at < bytes.length) out.push(bytes.subarray(at));
  return out;
}

const cutsArb = fc.array(fc.integer({ min: 1, max: 4096 }), { maxLength: 30 });

/**
 * Byte offsets of the container's framing: its magic and version, and each frame's header (name
 * length, name, payload length). A byte changed inside a table's Arrow IPC stream is not drawn:
 * apache-arrow does not verify the stream's flatbuffer metadata, and some corrupted schema
 * messages make it allocate until the heap is full (byte 72 of this container set to 1 does), in
 * either decoder alike. The miner API runs decoding in scoring workers with a heap limit, so such a
 * body ends one worker, not the server (docs/api.md, "Known limits").
 */
function framingOffsets(bytes: Uint8Array): number[] {
  const out = [0, 1, 2, 3, 4, 5, 6, 7];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; at + 2 <= bytes.length; ) {
    const header = 2 + view.getUint16(at, true) + 4;
    if (at + header > bytes.length) break;
    for (let k = 0; k < header; k++) out.push(at + k);
    at += header + view.getUint32(at + header - 4, true);
  }
  return out;
}
const framing = framingOffsets(container);

/** A damaged copy: a framing byte changed, or cut short anywhere. */
const damageArb = fc.oneof(
  fc.constant({ kind: 'none' as const, at: 0, value: 0 }),
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.constantFrom(...framing),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.oneof(fc.nat(80), fc.nat()), value: fc.constant(0) }),
);

/**
 * Damage to the compressed bytes: a header byte changed (gzip's ten, or "AMLZ", the codec byte and
 * brotli's first) or cut short. A byte changed inside the compressed data can inflate to a garbage
 * IPC stream, which the streamed decoder reads before gzip's checksum at the end (see above).
 */
const compressedDamageArb = fc.oneof(
  fc.constant({ kind: 'none' as const, at: 0, value: 0 }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(9), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.oneof(fc.nat(80), fc.nat()), value: fc.constant(0) }),
);

function damage(
  bytes: Uint8Array,
  d: { kind: 'none' | 'set' | 'cut'; at: number; value: number },
): Uint8Array {
  if (d.kind === 'none' || bytes.length === 0) return bytes;
  const at = d.at % bytes.length;
  if (d.kind === 'cut') return bytes.slice(0, at);
  const out = bytes.slice();
  out[at] = d.value;
  return out;
}

describe('ContainerFrameReader equals decodeBatchArrow', () => {
  it('on the container and damaged copies, in any pieces', async () => {
    await fc.assert(
      fc.asyncProperty(damageArb, cutsArb, async (d, cuts) => {
        const bytes = damage(container, d);
        const want = await outcomeOf(() => decodeBatchArrow(bytes));
        const got = await outcomeOf(() => {
          const reader = new ContainerFrameReader(LIMIT);
          for (const piece of pieces(bytes, cuts)) reader.push(piece);
          return reader.finish();
        });
        expect(got).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });
});

/** The field's text damaged as text: a character replaced, an escape, padding, a cut. */
const textDamageArb = fc.oneof(
  fc.constant((t: string) => t),
  fc.tuple(fc.nat(), fc.constantFrom('-', '_', '!', ' ', '\n', 'é', '=', 'A')).map(
    ([at, c]) =>
      (t: string) =>
        t.slice(0, at % t.length) + c + t.slice((at % t.length) + 1),
  ),
  fc.nat().map((at) => (t: string) => t.slice(0, at % t.length)),
  fc.constantFrom('=', '==', '===', 'A', 'AAAA').map((tail) => (t: string) => t + tail),
);

/**
 * A field cut short whose output also passes the cap may be refused for either: which of the two
 * zlib meets first depends on how its output is cut into pieces (batch-arrow-stream.ts).
 */
function overCapOrCut(outcome: Outcome): Outcome {
  if (outcome.ok || !/inflates to more than|unexpected end of file/.test(outcome.message)) return outcome;
  return { ...outcome, message: 'cut short or over the cap' };
}

describe('BatchArrowStream equals unwrapBatchArrowField + decodeBatchArrow', () => {
  it('on gzip and brotli fields, damaged before or after compression, in any pieces', async () => {
    const brotli = await compressContainer(container, 'br');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('gzip', 'br', 'unknown-codec'),
        damageArb,
        compressedDamageArb,
        textDamageArb,
        cutsArb,
        fc.constantFrom(LIMIT, 1000, container.length, container.length - 1),
        async (codec, before, after, text, cuts, limit) => {
          const compressed =
            codec === 'gzip'
              ? gzipSync(damage(container, before))
              : codec === 'br'
                ? brotli
                : Buffer.from('AMLZ\x07abc', 'latin1');
          const field = text(Buffer.from(damage(compressed, after)).toString('base64'));
          if (field === '') return; // refused before decoding, by the body checks
          const want = await outcomeOf(() => decodeBatchArrow(unwrapBatchArrowField(field, limit)));
          const got = await outcomeOf(() => {
            const stream = new BatchArrowStream(limit);
            for (const piece of pieces(Buffer.from(field, 'utf8'), cuts)) stream.write(piece);
            return stream.finish();
          });
          expect(overCapOrCut(got)).toEqual(overCapOrCut(want));
        },
      ),
      { numRuns: 200 },
    );
  });
});
