/**
 * Worker-thread entry of the TreeSHAP pool (pool.ts starts it). It receives the model's ShapPlan
 * once, then sleeps on the pool's wake block; on each wake it takes the newest job from its port
 * (synchronously, so the caller may block in Atomics.wait meanwhile) and works on it until no
 * block is left. A shutdown flag ends the loop and the thread.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { createScratch } from './fast-tree-shap.js';
import { type ShapJob, WAKE_GENERATION, WAKE_SHUTDOWN, workOnJob } from './shap-job.js';
import type { ShapPlan } from './shap-plan.js';

interface ShapWorkerData {
  plan: ShapPlan;
  wake: SharedArrayBuffer;
  jobs: MessagePort;
}

const { plan, wake: wakeBuffer, jobs } = workerData as ShapWorkerData;
const wake = new Int32Array(wakeBuffer);
const scratch = createScratch(plan);
parentPort?.postMessage('ready');

let seen = 0;
for (;;) {
  Atomics.wait(wake, WAKE_GENERATION, seen);
  if (Atomics.load(wake, WAKE_SHUTDOWN) !== 0) break;
  seen = Atomics.load(wake, WAKE_GENERATION);
  // jobs are posted before the generation is bumped, so the newest one is already queued
  let job: ShapJob | undefined;
  for (let m = receiveMessageOnPort(jobs); m !== undefined; m = receiveMessageOnPort(jobs)) {
    job = m.message as ShapJob;
  }
  if (job !== undefined) workOnJob(plan, scratch, job, true);
}
jobs.close();
