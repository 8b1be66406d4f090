/** Worker entry of the stealth audit (stealth-job.ts): one audit, then exit. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Batch } from '../../data/batch.js';
import { auditTrapStealth, type StealthOptions } from './stealth.js';

const { request, trapIds, options } = workerData as {
  request: Batch;
  trapIds: string[];
  options: StealthOptions;
};
try {
  parentPort!.postMessage({ ok: true, audit: auditTrapStealth(request, new Set(trapIds), options) });
} catch (err) {
  parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
}
