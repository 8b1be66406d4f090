/**
 * The ScoringService that scores off the event loop: a fixed piscina pool of worker threads, each
 * with its own copy of the models (scoring-worker.ts), runs feature building, inference and
 * TreeSHAP, so `/health` and `/metrics` keep answering during a large batch and concurrent
 * requests run on separate cores. Results are the in-process service's, bit for bit: the same
 * code scores the same structured-clone copy of the batch. piscina over hand-rolled worker_threads:
 * it queues tasks, restarts a crashed worker and drains on close, all well tested upstream.
 */

import { getHeapStatistics } from 'node:v8';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Batch } from '../../data/batch.js';
import { AmlError, ERRORS } from '../../errors.js';
import { type FeatureCoverage, featureCoverage } from '../../features/coverage.js';
import type { ScoreOptions } from '../../models/model-contract.js';
import { assertNoLoadFailures, type LoadModelsOptions } from '../../models/model-loader.js';
import type {
  DeferredAnswer,
  DeferredBody,
  DeferredOutcome,
  DeferredStream,
  DeferredTask,
  ModelFlags,
  ModelVersions,
  ScoringService,
} from '../../models/scoring-service.js';
import { workerModuleFile } from '../../runtime/worker-entry.js';
import type { AlertScore, ClusterScore, ModelName } from '../../schemas/api.js';
import type { DeferredArrowBody } from '../batch-body.js';
import {
  type PoolDescription,
  type PoolTask,
  type PoolTaskResult,
  type ScoringWorkerData,
  STREAM_WINDOW_BYTES,
  type StreamMessage,
} from './worker-protocol.js';

export interface WorkerPoolOptions {
  load: LoadModelsOptions;
  /** Worker threads, each with its own models (at least 1). */
  workers: number;
  /** false skips each worker's warm-up inference. */
  warm?: boolean;
  /** Each worker's old-generation heap limit in MB (default: the main thread's own). */
  heapLimitMb?: number;
  /** Each worker's young generation in MB (default WORKER_YOUNG_GENERATION_MB). */
  youngGenerationMb?: number;
}

/**
 * A scoring worker's young generation. Its garbage is mostly the wrappers of body chunks, decoded
 * and inflated buffers and Arrow vectors, whose memory outside the heap is freed only when a
 * scavenge collects them: with a 192 MB young generation (what `--max-semi-space-size=64` gave every
 * thread) the server peaked at 781-794 MB on a 50,000-alert batch_arrow, with 12 MB at 664 MB
 * (3 MB: 668; BENCHMARKS.md). V8's own flag would override this limit, so the bin sets none.
 */
export const WORKER_YOUNG_GENERATION_MB = 12;

/** A worker's error back as the error it was: an AmlError keeps its code and HTTP status. */
function rebuildError(result: Extract<PoolTaskResult, { ok: false }>): Error {
  const def = result.code === undefined ? undefined : ERRORS[result.code as keyof typeof ERRORS];
  if (def !== undefined) return new AmlError(def, result.message, result.details);
  return new Error(`scoring worker failed: ${result.message}`);
}

/**
 * A body chunk that can move to the worker without a copy. Node gives each chunk of a request body
 * a buffer of its own: moved as it is, nothing is left behind in the main thread, whose heap is too
 * small to collect often (copying every chunk left ~390 MB of dead chunks behind at a 412 MB body).
 * A chunk sharing its buffer (a slice of Node's Buffer pool) is copied first.
 */
export function movableChunk(chunk: Uint8Array): Uint8Array {
  const whole =
    chunk.buffer instanceof ArrayBuffer &&
    chunk.byteOffset === 0 &&
    chunk.byteLength === chunk.buffer.byteLength &&
    chunk.byteLength > Buffer.poolSize;
  return whole ? chunk : new Uint8Array(chunk);
}

export class WorkerScoringService implements ScoringService {
  private constructor(
    private readonly pool: Piscina<PoolTask, PoolTaskResult>,
    private readonly description: PoolDescription,
    readonly workers: number,
  ) {}

  /**
   * Starts the pool and waits until every worker has loaded and warmed its models. A model file
   * that is present but unusable refuses start, as the in-process service does.
   */
  static async create(options: WorkerPoolOptions): Promise<WorkerScoringService> {
    const workers = Math.max(1, Math.floor(options.workers));
    const workerData: ScoringWorkerData = { load: options.load, warm: options.warm };
    const pool = new Piscina<PoolTask, PoolTaskResult>({
      filename: workerModuleFile(import.meta.url, 'scoring-worker'),
      workerData,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Node ends a worker that reaches its heap limit alone (ERR_WORKER_OUT_OF_MEMORY: its request
      // fails, piscina starts another worker, the server goes on): a last line behind the checks
      // on what a body may make a worker allocate (docs/api.md, "Known limits"). The limit is the
      // main thread's unless set (a test sets a small one to show the isolation quickly).
      resourceLimits: {
        maxOldGenerationSizeMb:
          options.heapLimitMb ?? Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20),
        maxYoungGenerationSizeMb: options.youngGenerationMb ?? WORKER_YOUNG_GENERATION_MB,
      },
    });
    try {
      // piscina marks its first workers ready at once and gives each one task at a time, so one
      // describe per worker reaches every worker and resolves once its models are loaded and warm
      const answers = await Promise.all(
        Array.from({ length: workers }, () => pool.run({ kind: 'describe' })),
      );
      const first = answers[0];
      if (!first.ok) throw rebuildError(first);
      const description = first.value as PoolDescription;
      assertNoLoadFailures({ problems: description.problems, failures: description.failures });
      return new WorkerScoringService(pool, description, workers);
    } catch (err) {
      await pool.destroy();
      throw err;
    }
  }

  get problems(): PoolDescription['problems'] {
    return this.description.problems;
  }

  health(): ModelFlags {
    return this.description.health;
  }

  versions(): ModelVersions {
    return this.description.versions;
  }

  featureCoverage(model: ModelName, batch: Batch): FeatureCoverage | undefined {
    const names = this.description.featureNames[model];
    return names ? featureCoverage(batch, names) : undefined;
  }

  private async run<T>(task: PoolTask): Promise<T> {
    const result = await this.pool.run(task);
    if (!result.ok) throw rebuildError(result);
    return result.value as T;
  }

  scoreAlerts(batch: Batch, options?: ScoreOptions): Promise<AlertScore[]> {
    return this.run({ kind: 'scoreAlerts', batch, options });
  }

  rankAlerts(batch: Batch): Promise<ArrayLike<number>> {
    return this.run({ kind: 'rankAlerts', batch });
  }

  scoreClusters(batch: Batch, options?: ScoreOptions): Promise<ClusterScore[]> {
    return this.run({ kind: 'scoreClusters', batch, options });
  }

  scoreDeferred(
    task: DeferredTask,
    body: DeferredBody,
    options: ScoreOptions,
    answer: DeferredAnswer = {},
  ): Promise<DeferredOutcome> {
    const serialize = answer.serialize === true;
    if ('chunks' in body) return this.scoreStream(task, body, options, serialize);
    return this.run({ kind: 'deferred', task, body: body as DeferredArrowBody, options, serialize });
  }

  /**
   * Streams a body into a worker as it arrives: the task starts first (it waits in the pool's
   * queue like any other), then the chunks follow through its own MessagePort, a window of
   * STREAM_WINDOW_BYTES at a time. An early answer (a malformed body) stops the pump; a pump error
   * (body limit, Content-Length) aborts the task and is the request's error.
   */
  private async scoreStream(
    task: DeferredTask,
    body: DeferredStream,
    options: ScoreOptions,
    serialize: boolean,
  ): Promise<DeferredOutcome> {
    const { port1, port2 } = new MessageChannel();
    const message: PoolTask = {
      kind: 'stream',
      task,
      port: port2,
      format: body.format,
      contentLength: body.contentLength,
      maxDecodedBytes: body.maxDecodedBytes,
      options,
      serialize,
    };
    let settled = false;
    const result = this.pool.run(message, { transferList: [port2] }).finally(() => {
      settled = true;
      wake();
    });
    let unanswered = 0;
    let wake = () => {};
    port1.on('message', (read: number) => {
      unanswered -= read;
      wake();
    });
    const send = (m: StreamMessage, transfer?: ArrayBuffer[]) => port1.postMessage(m, transfer);
    try {
      for await (const chunk of body.chunks()) {
        if (settled) break;
        const own = movableChunk(chunk);
        // counted before the move: a moved buffer is detached here and reads as 0 bytes long (the
        // window never held anything back while this was counted after the move)
        unanswered += own.length;
        send({ chunk: own }, [own.buffer as ArrayBuffer]);
        while (unanswered > STREAM_WINDOW_BYTES && !settled) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      }
      send({ end: true });
    } catch (err) {
      send({ abort: true });
      await result.catch(() => undefined);
      throw err;
    } finally {
      port1.close();
    }
    const answer = await result;
    if (!answer.ok) throw rebuildError(answer);
    return answer.value as DeferredOutcome;
  }

  /** Lets queued and running tasks finish, then stops the workers (their models go with them). */
  async close(): Promise<void> {
    await this.pool.close();
  }
}
