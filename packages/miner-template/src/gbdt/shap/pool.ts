/**
 * A worker_threads pool for exact TreeSHAP with a synchronous explainBatch: the caller copies the
 * rows into a SharedArrayBuffer, wakes the workers, works on row blocks itself and blocks in
 * Atomics.wait until every block is done, so `threads` threads compute (threads − 1 workers plus
 * the caller). Every row is computed whole by one thread with the same code (shap-job.ts), so the
 * output is bit-identical to explainBatchFast. Each worker gets the ShapPlan once, when it starts:
 * on the first batch of at least minPoolRows rows (workers join it as soon as they are up) or on
 * warmUp(). Blocks are claimed dynamically, so a slow, late or failed-to-start worker only means
 * the caller does more of the work.
 *
 * Worker file: shap-worker.js beside this module when running compiled (dist/); when this module
 * is TypeScript source (tsx, vitest), shap-worker.ts is started through tsx's ESM API. Small
 * batches, and every batch after a worker failed, run in-process; results are the same either way.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { amlError, ERRORS } from '../../errors.js';
import { workerEntry } from '../../runtime/worker-entry.js';
import type { GbdtModel } from '../model.js';
import type { FeatureRow } from '../predict/predict.js';
import { createScratch, explainRowsInto, type ShapScratch } from './fast-tree-shap.js';
import {
  blockCount,
  CTRL_DONE,
  CTRL_FAILED,
  CTRL_SLOTS,
  CTRL_WORKER_BLOCKS,
  type ShapJob,
  WAKE_GENERATION,
  WAKE_SHUTDOWN,
  WAKE_SLOTS,
  workOnJob,
} from './shap-job.js';
import { buildShapPlan, type ShapPlan, type ShapPlanOptions } from './shap-plan.js';
import type { BatchExplanation } from './tree-shap.js';

export interface ShapPoolOptions extends ShapPlanOptions {
  /** Threads computing a batch, the caller included (default os.availableParallelism(); 1 = in-process). */
  threads?: number;
  /** Batches smaller than this run in-process (default 2,000 rows). */
  minPoolRows?: number;
  /** Rows per claimed block (default 128). */
  blockRows?: number;
  /** Give up starting workers after this long and explain in-process (default 30 s). */
  startTimeoutMs?: number;
}

export const DEFAULT_MIN_POOL_ROWS = 2_000;
const DEFAULT_BLOCK_ROWS = 128;
/** A block never takes anywhere near this long; past it a worker is presumed dead. */
const STALL_TIMEOUT_MS = 60_000;

/** One worker thread: ready once it has the plan, dead once it errored or exited. */
class WorkerSlot {
  ready = false;
  dead: string | undefined;
  readonly worker: Worker;
  readonly port: MessagePort;
  private readonly readyPromise: Promise<void>;

  constructor(plan: ShapPlan, wake: SharedArrayBuffer) {
    const { filename, evalCode } = workerEntry(import.meta.url, 'shap-worker');
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(filename, {
      eval: evalCode,
      workerData: { plan, wake, jobs: port2 },
      transferList: [port2],
    });
    this.worker.unref(); // an unclosed pool must not keep the process alive
    this.readyPromise = new Promise((resolve) => {
      this.worker.once('message', () => {
        this.ready = true;
        resolve();
      });
      this.worker.on('error', (err) => {
        this.dead ??= err.message;
        resolve();
      });
      this.worker.once('exit', (code) => {
        this.dead ??= `exited with code ${code}`;
        resolve();
      });
    });
  }

  /** Resolves once the worker is ready or dead, or after timeoutMs. */
  async settled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([this.readyPromise, timeout]);
    clearTimeout(timer);
  }
}

export class ShapPool {
  private generation = 0;
  private input = new SharedArrayBuffer(0);
  private output = new SharedArrayBuffer(0);
  private readonly wakeBuffer = new SharedArrayBuffer(WAKE_SLOTS * 4);
  private readonly wake = new Int32Array(this.wakeBuffer);
  private readonly scratch: ShapScratch;
  private slots: WorkerSlot[] | undefined;
  private closed = false;
  private broken: string | undefined;
  private readonly requestedThreads: number;
  private readonly minPoolRows: number;
  private readonly blockRows: number;
  private readonly startTimeoutMs: number;
  /** Row blocks the workers (not the caller) computed in the last pooled batch: a diagnostic. */
  lastWorkerBlocks = 0;

  private constructor(
    readonly plan: ShapPlan,
    options: ShapPoolOptions,
  ) {
    this.scratch = createScratch(plan);
    this.requestedThreads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    this.minPoolRows = options.minPoolRows ?? DEFAULT_MIN_POOL_ROWS;
    this.blockRows = Math.max(1, Math.floor(options.blockRows ?? DEFAULT_BLOCK_ROWS));
    this.startTimeoutMs = options.startTimeoutMs ?? 30_000;
  }

  /**
   * Builds the plan. Workers start on the first batch big enough to use them (they join that
   * batch as soon as they are up) or on warmUp(); until then nothing runs outside the caller.
   */
  static async create(model: GbdtModel, options: ShapPoolOptions = {}): Promise<ShapPool> {
    return new ShapPool(buildShapPlan(model, options), options);
  }

  /** Starts the workers now and waits until they are ready (or failed: see fallbackReason). */
  async warmUp(): Promise<void> {
    const slots = this.startWorkers();
    await Promise.all(slots.map((s) => s.settled(this.startTimeoutMs)));
  }

  private startWorkers(): WorkerSlot[] {
    if (this.slots !== undefined) return this.slots;
    this.slots = [];
    if (this.closed) return this.slots;
    try {
      for (let i = 1; i < this.requestedThreads; i++)
        this.slots.push(new WorkerSlot(this.plan, this.wakeBuffer));
    } catch (err) {
      this.broken = `worker start failed: ${(err as Error).message}`;
      void this.stopWorkers();
    }
    return this.slots;
  }

  /** Why large batches run in-process although more threads were asked for, if they do. */
  get fallbackReason(): string | undefined {
    if (this.broken !== undefined) return this.broken;
    const dead = this.slots?.find((s) => s.dead !== undefined);
    return dead === undefined ? undefined : `a worker failed: ${dead.dead}`;
  }

  /** Threads a large batch runs on (1 when in-process or after a worker failed). */
  get threads(): number {
    return this.fallbackReason === undefined ? this.requestedThreads : 1;
  }

  get expectedValue(): number {
    return this.plan.expectedValue;
  }

  /** Same contract as explainBatch: row-major contributions, numRows × numFeatures. Synchronous. */
  explainBatch(
    matrix: FeatureRow,
    numRows: number,
    out: Float64Array = new Float64Array(numRows * this.plan.numFeatures),
  ): BatchExplanation {
    if (this.closed) throw amlError(ERRORS.AML_ERR_MODEL_NOT_LOADED, ['TreeSHAP pool (closed)']);
    const width = this.plan.numFeatures;
    const cells = numRows * width;
    if (matrix.length < cells) {
      throw new RangeError(
        `expected at least ${cells} values (${numRows} rows × ${width} features), got ${matrix.length}`,
      );
    }
    if (this.threads === 1 || numRows < this.minPoolRows || !this.runPooled(matrix, numRows, out)) {
      out.fill(0, 0, cells);
      explainRowsInto(this.plan, this.scratch, matrix, 0, numRows, out);
    }
    return { contributions: out, expectedValue: this.plan.expectedValue };
  }

  /** Runs one pooled job; false (and the pool goes in-process for good) if a worker failed. */
  private runPooled(matrix: FeatureRow, numRows: number, out: Float64Array): boolean {
    const cells = numRows * this.plan.numFeatures;
    const inputBits = matrix instanceof Float32Array ? 32 : 64;
    if (this.input.byteLength < cells * 8) this.input = new SharedArrayBuffer(cells * 8);
    if (this.output.byteLength < cells * 8) this.output = new SharedArrayBuffer(cells * 8);
    if (inputBits === 32) new Float32Array(this.input, 0, cells).set(matrix.subarray(0, cells));
    else new Float64Array(this.input, 0, cells).set(matrix.subarray(0, cells));
    this.generation += 1;
    const job: ShapJob = {
      generation: this.generation,
      control: new SharedArrayBuffer(CTRL_SLOTS * 4),
      input: this.input,
      inputBits,
      output: this.output,
      numRows,
      blockRows: this.blockRows,
    };
    // workers still booting get the job too and join it (or find it finished) once they are up
    for (const s of this.startWorkers()) s.port.postMessage(job);
    Atomics.store(this.wake, WAKE_GENERATION, this.generation);
    Atomics.notify(this.wake, WAKE_GENERATION);
    workOnJob(this.plan, this.scratch, job, false);
    const control = new Int32Array(job.control);
    const blocks = blockCount(job);
    for (;;) {
      const done = Atomics.load(control, CTRL_DONE);
      if (done >= blocks) break;
      if (Atomics.wait(control, CTRL_DONE, done, STALL_TIMEOUT_MS) === 'timed-out') {
        this.broken = 'a worker stalled';
        return false;
      }
    }
    if (Atomics.load(control, CTRL_FAILED) !== 0) {
      this.broken = 'a worker failed';
      return false;
    }
    this.lastWorkerBlocks = Atomics.load(control, CTRL_WORKER_BLOCKS);
    out.set(new Float64Array(this.output, 0, cells));
    return true;
  }

  private async stopWorkers(): Promise<void> {
    Atomics.store(this.wake, WAKE_SHUTDOWN, 1);
    Atomics.notify(this.wake, WAKE_GENERATION);
    await Promise.all(
      (this.slots ?? []).map(async (s) => {
        s.port.close();
        await s.worker.terminate();
      }),
    );
  }

  /** Stops every worker; later explainBatch calls throw. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stopWorkers();
  }

  /** Live worker threads (0 after close or when in-process). */
  get workerCount(): number {
    if (this.closed || this.slots === undefined) return 0;
    return this.slots.filter((s) => s.ready && s.dead === undefined).length;
  }
}
