/**
 * A worker_threads pool for exact TreeSHAP with a synchronous explainBatch: the caller copies the
 * rows into a SharedArrayBuffer, wakes the workers, works on row blocks itself and blocks in
 * Atomics.wait until every block is done, so `threads` threads compute (threads − 1 workers plus
 * the caller). Every row is computed whole by one thread with the same code (shap-job.ts), so the
 * output is bit-identical to explainBatchFast. Workers hold the ShapPlan, cloned once at creation.
 *
 * Worker file: shap-worker.js beside this module when running compiled (dist/); when this module
 * is TypeScript source (tsx, vitest), shap-worker.ts is started through tsx's ESM API. If workers
 * cannot start, the pool explains in-process (fallbackReason says why). Small batches (below
 * minPoolRows) and a failed worker also fall back to in-process; results are the same either way.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { GbdtModel } from '../model.js';
import type { FeatureRow } from '../predict/predict.js';
import { createScratch, explainRowsInto, type ShapScratch } from './fast-tree-shap.js';
import { buildShapPlan, type ShapPlan, type ShapPlanOptions } from './shap-plan.js';
import {
  blockCount,
  CTRL_DONE,
  CTRL_FAILED,
  CTRL_SLOTS,
  type ShapJob,
  WAKE_GENERATION,
  WAKE_SHUTDOWN,
  WAKE_SLOTS,
  workOnJob,
} from './shap-job.js';
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

interface WorkerSlot {
  worker: Worker;
  port: MessagePort;
}

/**
 * How to start a worker: the compiled shap-worker.js directly, or, from TypeScript source, a tiny
 * eval script that registers tsx's ESM hooks in the worker before importing shap-worker.ts (Node
 * 20 does not apply `--import tsx` hooks to a worker's own entry file).
 */
function workerEntry(): { filename: string; evalCode: boolean } {
  if (!import.meta.url.endsWith('.ts')) {
    return { filename: fileURLToPath(new URL('./shap-worker.js', import.meta.url)), evalCode: false };
  }
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./shap-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return { filename: code, evalCode: true };
}

function startWorker(plan: ShapPlan, wake: SharedArrayBuffer, timeoutMs: number): Promise<WorkerSlot> {
  const { filename, evalCode } = workerEntry();
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(filename, {
        eval: evalCode,
        workerData: { plan, wake, jobs: port2 },
        transferList: [port2],
      });
    } catch (err) {
      reject(err);
      return;
    }
    const timer = setTimeout(() => fail(new Error(`worker not ready after ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      void worker.terminate();
      port1.close();
      reject(err);
    };
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`worker exited with code ${code} before it was ready`)));
    worker.once('message', () => {
      clearTimeout(timer);
      worker.removeAllListeners('error');
      worker.removeAllListeners('exit');
      worker.on('error', () => {}); // a later crash shows up as a stalled or failed job
      worker.unref(); // an unclosed pool must not keep the process alive
      resolve({ worker, port: port1 });
    });
  });
}

export class ShapPool {
  private generation = 0;
  private input = new SharedArrayBuffer(0);
  private output = new SharedArrayBuffer(0);
  private closed = false;
  private broken: string | undefined;

  private constructor(
    readonly plan: ShapPlan,
    private readonly scratch: ShapScratch,
    private readonly wake: Int32Array,
    private readonly slots: WorkerSlot[],
    private readonly minPoolRows: number,
    private readonly blockRows: number,
    /** Why the pool runs in-process although more threads were asked for, if it does. */
    readonly fallbackReason: string | undefined,
  ) {}

  /** Builds the plan and starts threads − 1 workers (waits until they are ready). */
  static async create(model: GbdtModel, options: ShapPoolOptions = {}): Promise<ShapPool> {
    const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    const plan = buildShapPlan(model, options);
    const wakeBuffer = new SharedArrayBuffer(WAKE_SLOTS * 4);
    const wake = new Int32Array(wakeBuffer);
    const started = await Promise.allSettled(
      Array.from({ length: threads - 1 }, () =>
        startWorker(plan, wakeBuffer, options.startTimeoutMs ?? 30_000),
      ),
    );
    const slots: WorkerSlot[] = [];
    let reason: string | undefined;
    for (const s of started) {
      if (s.status === 'fulfilled') slots.push(s.value);
      else reason ??= `worker start failed: ${(s.reason as Error).message}`;
    }
    if (reason !== undefined) {
      // all or nothing: a partial pool would work but hides a broken deployment
      ShapPool.stop(wake, slots);
      slots.length = 0;
    }
    return new ShapPool(
      plan,
      createScratch(plan),
      wake,
      slots,
      options.minPoolRows ?? DEFAULT_MIN_POOL_ROWS,
      Math.max(1, Math.floor(options.blockRows ?? DEFAULT_BLOCK_ROWS)),
      reason,
    );
  }

  /** Threads a large batch runs on (1 when in-process). */
  get threads(): number {
    return this.broken === undefined ? this.slots.length + 1 : 1;
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
    if (this.closed) throw new Error('ShapPool is closed');
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
    for (const s of this.slots) s.port.postMessage(job);
    Atomics.store(this.wake, WAKE_GENERATION, this.generation);
    Atomics.notify(this.wake, WAKE_GENERATION);
    workOnJob(this.plan, this.scratch, job);
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
    out.set(new Float64Array(this.output, 0, cells));
    return true;
  }

  private static stop(wake: Int32Array, slots: WorkerSlot[]): Promise<unknown> {
    Atomics.store(wake, WAKE_SHUTDOWN, 1);
    Atomics.notify(wake, WAKE_GENERATION);
    return Promise.all(
      slots.map(async (s) => {
        s.port.close();
        await s.worker.terminate();
      }),
    );
  }

  /** Stops every worker; later explainBatch calls throw. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await ShapPool.stop(this.wake, this.slots);
  }

  /** Live worker threads (0 after close or when in-process). */
  get workerCount(): number {
    return this.closed ? 0 : this.slots.length;
  }
}
