/**
 * One pooled TreeSHAP batch as seen by every thread that works on it (the caller and the workers):
 * shared input and output buffers plus a small shared control block. Threads claim fixed-size
 * row blocks with an atomic cursor, so a slow or late thread just takes fewer blocks; each row is
 * still computed entirely by one thread with the same code, which keeps results bit-identical.
 */
import { explainRowsInto, type ShapScratch } from './fast-tree-shap.js';
import type { ShapPlan } from './shap-plan.js';

/** Control block slots (Int32): next block to claim, blocks finished, failure flag, blocks workers did. */
export const CTRL_CURSOR = 0;
export const CTRL_DONE = 1;
export const CTRL_FAILED = 2;
export const CTRL_WORKER_BLOCKS = 3;
export const CTRL_SLOTS = 4;

/** Wake block slots (Int32, one per pool): job generation, shutdown flag. */
export const WAKE_GENERATION = 0;
export const WAKE_SHUTDOWN = 1;
export const WAKE_SLOTS = 2;

export interface ShapJob {
  generation: number;
  control: SharedArrayBuffer;
  input: SharedArrayBuffer;
  /** 32: the input holds float32 values, 64: float64. */
  inputBits: 32 | 64;
  output: SharedArrayBuffer;
  numRows: number;
  blockRows: number;
}

export function blockCount(job: ShapJob): number {
  return Math.ceil(job.numRows / job.blockRows);
}

/** Claims and computes blocks until none is left; records a failure instead of throwing. */
export function workOnJob(plan: ShapPlan, scratch: ShapScratch, job: ShapJob, isWorker: boolean): void {
  const control = new Int32Array(job.control);
  const width = plan.numFeatures;
  const input =
    job.inputBits === 32
      ? new Float32Array(job.input, 0, job.numRows * width)
      : new Float64Array(job.input, 0, job.numRows * width);
  const output = new Float64Array(job.output, 0, job.numRows * width);
  const blocks = blockCount(job);
  for (;;) {
    const block = Atomics.add(control, CTRL_CURSOR, 1);
    if (block >= blocks) return;
    const start = block * job.blockRows;
    const end = Math.min(job.numRows, start + job.blockRows);
    try {
      output.fill(0, start * width, end * width);
      explainRowsInto(plan, scratch, input, start, end, output);
    } catch {
      Atomics.store(control, CTRL_FAILED, 1);
    }
    if (isWorker) Atomics.add(control, CTRL_WORKER_BLOCKS, 1);
    Atomics.add(control, CTRL_DONE, 1);
    Atomics.notify(control, CTRL_DONE);
  }
}
