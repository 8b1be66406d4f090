/**
 * Property: whatever a client sends to a scoring route (random JSON values, random mutations of a
 * valid body, truncated or corrupted Arrow), the answer is a 200 or a 4xx with an error body, never
 * a 5xx. A 200 must still hold one entry per alert.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARROW_CONTENT_TYPE } from '../../src/api/content-types.js';
import { encodeBatchArrow } from '../../src/data/arrow-batch.js';
import { makeBatchBody } from './batches.js';
import { createFakeScoringService } from './fake-scoring-service.js';
import { type Reply, type Running, startServer } from './harness.js';

let server: Running;
beforeAll(async () => {
  server = await startServer({ service: createFakeScoringService() });
});
afterAll(async () => {
  await server.close();
});

const ROUTES = ['/score/alerts', '/rank/alerts', '/score/clusters'] as const;

function expectClientAnswer(res: Reply): void {
  expect(res.status, res.text).toBeLessThan(500);
  if (res.status === 200) {
    expect(Array.isArray(res.json())).toBe(true);
    return;
  }
  expect(res.status).toBeGreaterThanOrEqual(400);
  const body = res.json() as { error: unknown; message: unknown };
  expect(typeof body.error).toBe('string');
  expect(typeof body.message).toBe('string');
}

/** Replaces the value at a random path of a JSON tree (or deletes it). */
function mutateAt(value: unknown, path: number[], replacement: unknown, remove: boolean): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[path[0] % keys.length];
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const record = copy as Record<string, unknown>;
  if (path.length === 1 && remove) {
    if (Array.isArray(copy)) copy.splice(Number(key), 1);
    else delete record[key];
    return copy;
  }
  record[key] = mutateAt(record[key], path.slice(1), replacement, remove);
  return copy;
}

const valid = makeBatchBody(4, { clusters: 2 });
const validText = JSON.stringify(valid);
const validArrow = encodeBatchArrow(valid);

describe('malformed bodies never cause a 5xx', () => {
  it('random JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.jsonValue(), async (route, body) => {
        expectClientAnswer(
          await server.post(route, JSON.stringify(body), { 'content-type': 'application/json' }),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('random mutations of a valid body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.oneof(fc.jsonValue(), fc.constantFrom('', 'NaN', '1e999', -1, 2, '2026-02-30', [], {}, null)),
        fc.boolean(),
        async (route, path, replacement, remove) => {
          const body = mutateAt(valid, path, replacement, remove);
          expectClientAnswer(
            await server.post(route, JSON.stringify(body), { 'content-type': 'application/json' }),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('truncated and spliced JSON text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(validText.length), fc.string({ maxLength: 8 }), async (cut, insert) => {
        const text = validText.slice(0, cut) + insert + validText.slice(cut + 1);
        expectClientAnswer(await server.post('/score/alerts', text, { 'content-type': 'application/json' }));
      }),
      { numRuns: 80 },
    );
  });

  it('random bytes and corrupted Arrow bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.tuple(fc.nat(validArrow.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(validArrow.length),
        fc.boolean(),
        async (noise, flips, cut, useNoise) => {
          let bytes: Uint8Array;
          if (useNoise) bytes = noise;
          else {
            bytes = validArrow.slice(0, Math.max(cut, 9));
            for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
          }
          expectClientAnswer(
            await server.post('/score/alerts', bytes, { 'content-type': ARROW_CONTENT_TYPE }),
          );
        },
      ),
      { numRuns: 120 },
    );
  });
});
