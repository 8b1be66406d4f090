/**
 * Any byte of a batch_arrow container changed (metadata, framing or data): the scoring pool, its
 * workers held to a small heap, answers with a 4xx error or with the scores the in-process service
 * gives for what the main thread decodes from the same bytes; never a worker lost to its heap or
 * an internal error. apache-arrow does not verify IPC metadata (arrow-ipc-check.ts does).
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBatchContainer, splitArrowFrames } from '../../data/arrow-container.js';
import { isAmlError } from '../../errors.js';
import { loadModels } from '../../models/model-loader.js';
import { ModelScoringService } from '../../models/model-scoring-service.js';
import type { AlertScore } from '../../schemas/api.js';
import { generateBatch } from '../../synthetic/index.js';
import { type DeferredArrowBody, requestFromBody, requestOrDeferred } from '../batch-body.js';
import { WorkerScoringService } from './worker-scoring-service.js';

const LIMIT = 1 << 30;
const MODELS = fileURLToPath(new URL('../../../../../trained_models', import.meta.url));
/** Enough for the models and a small batch (worker-scoring-service.test.ts: 40 MB is). */
const HEAP_LIMIT_MB = 64;

const { batch } = generateBatch({ network: 'torus', date: '2026-01-01', windowDays: 7, alerts: 30, seed: 9 });
const container = encodeBatchContainer(batch);
/** Where each table's IPC stream starts: its schema and record batch messages come first. */
const streamStarts = [...splitArrowFrames(container).values()].map((f) => f.byteOffset);
const METADATA_SPAN = 1500;

/** Any byte, or (as often) one near the start of a table's stream, where its metadata is. */
const damageArb = fc.record({
  at: fc.oneof(
    fc.nat(container.length - 1),
    fc
      .tuple(fc.constantFrom(...streamStarts), fc.nat(METADATA_SPAN))
      .map(([start, i]) => Math.min(start + i, container.length - 1)),
  ),
  value: fc.integer({ min: 0, max: 255 }),
});

let pool: WorkerScoringService;
let inProcess: ModelScoringService;
beforeAll(async () => {
  pool = await WorkerScoringService.create({
    load: { modelsDir: MODELS },
    workers: 1,
    warm: false,
    heapLimitMb: HEAP_LIMIT_MB,
  });
  inProcess = new ModelScoringService(await loadModels({ modelsDir: MODELS }));
}, 120_000);
afterAll(async () => {
  await pool?.close();
  await inProcess?.close();
});

const withoutLatency = (rows: AlertScore[]) => rows.map(({ latency_ms: _, ...r }) => r);

type Outcome =
  | { ok: true; scores: AlertScore[] }
  | { ok: false; status: number; code: string; message: string };

async function scoredByPool(field: string): Promise<Outcome> {
  const body = requestOrDeferred({ batch_arrow: field, explain: false }, LIMIT) as DeferredArrowBody;
  try {
    const outcome = await pool.scoreDeferred('scoreAlerts', body, body.options);
    return { ok: true, scores: outcome.value as AlertScore[] };
  } catch (err) {
    if (!isAmlError(err)) throw err; // a lost worker or an internal error fails the property
    return { ok: false, status: err.status, code: err.code, message: err.message };
  }
}

async function scoredInProcess(field: string): Promise<Outcome> {
  try {
    const { batch: local } = requestFromBody({ batch_arrow: field }, LIMIT);
    return { ok: true, scores: await inProcess.scoreAlerts(local, { explain: false }) };
  } catch (err) {
    if (!isAmlError(err)) throw err;
    return { ok: false, status: err.status, code: err.code, message: err.message };
  }
}

describe('a batch_arrow container with one byte changed', () => {
  it('is refused with a 4xx or scored as the in-process service scores it', async () => {
    const seen = { scored: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(damageArb, async ({ at, value }) => {
        const damaged = container.slice();
        damaged[at] = value;
        const field = gzipSync(damaged, { level: 1 }).toString('base64');
        // the pool first: its worker's heap limit stops a runaway allocation, this process's would not
        const pooled = await scoredByPool(field);
        const local = await scoredInProcess(field);
        if (pooled.ok) {
          seen.scored++;
          expect(local.ok && withoutLatency(local.scores)).toEqual(withoutLatency(pooled.scores));
        } else {
          seen.refused++;
          expect(pooled.status).toBeGreaterThanOrEqual(400);
          expect(pooled.status).toBeLessThan(500);
          expect(local).toEqual(pooled);
        }
      }),
      {
        numRuns: 500,
        examples: [
          [{ at: 72, value: 1 }], // the alerts schema's field vector offset: once exhausted the heap
          [{ at: 0, value: 0 }],
        ],
      },
    );
    // not vacuous: both outcomes occur (data bytes mostly decode, metadata bytes mostly do not)
    expect(seen.scored).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(10);
  }, 300_000);
});
