/** What the main thread and the scoring pool's workers (scoring-worker.ts) send each other. */

import type { MessagePort } from 'node:worker_threads';
import type { Batch } from '../../data/batch.js';
import type { ScoreOptions } from '../../models/model-contract.js';
import type { LoadModelsOptions, ModelLoadFailure } from '../../models/model-loader.js';
import type { DeferredTask, ModelFlags, ModelVersions, StreamFormat } from '../../models/scoring-service.js';
import type { ModelName } from '../../schemas/api.js';
import type { DeferredArrowBody } from '../batch-body.js';

export interface ScoringWorkerData {
  load: LoadModelsOptions;
  /** false skips the warm-up inference (tests that only ask for the description). */
  warm?: boolean;
}

export type PoolTask =
  | { kind: 'describe' }
  | { kind: 'scoreAlerts'; batch: Batch; options?: ScoreOptions }
  | { kind: 'rankAlerts'; batch: Batch }
  | { kind: 'scoreClusters'; batch: Batch; options?: ScoreOptions }
  | {
      kind: 'deferred';
      task: DeferredTask;
      body: DeferredArrowBody;
      options: ScoreOptions;
      /** Answer with JSON bytes (DeferredOutcome.json) instead of objects. */
      serialize?: boolean;
    }
  | {
      kind: 'stream';
      task: DeferredTask;
      port: MessagePort;
      format: StreamFormat;
      contentLength: number;
      maxDecodedBytes: number;
      options: ScoreOptions;
      serialize?: boolean;
    };

/**
 * A streamed body's messages, main thread to worker: its chunks, then `end` (or `abort` when the
 * main thread gave up on it); the worker answers each chunk with its byte count read, and the main
 * thread keeps at most STREAM_WINDOW_BYTES unanswered, so a body waiting for a free worker waits
 * in the socket, not in memory.
 */
export type StreamMessage = { chunk: Uint8Array } | { end: true } | { abort: true };
export const STREAM_WINDOW_BYTES = 8 << 20;

/** A task's outcome; an error carries an AmlError's code (when it was one) so its status survives. */
export type PoolTaskResult =
  | { ok: true; value: unknown }
  | { ok: false; code?: string; message: string; details?: unknown };

/** What every worker loaded: the same on each, since they read the same files. */
export interface PoolDescription {
  health: ModelFlags;
  versions: ModelVersions;
  problems: Partial<Record<ModelName, string>>;
  failures: ModelLoadFailure[];
  featureNames: Record<ModelName, readonly string[] | undefined>;
}
