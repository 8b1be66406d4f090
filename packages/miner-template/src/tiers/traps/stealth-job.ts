/**
 * The stealth audit off the event loop: it trains five GBDTs, which takes seconds on a large
 * batch, so a validator runs it in a worker thread and keeps serving metrics and status.
 */
import { Worker } from 'node:worker_threads';
import type { Batch } from '../../data/batch.js';
import { workerEntry } from '../../runtime/worker-entry.js';
import type { StealthAudit, StealthOptions } from './stealth.js';

export function auditTrapStealthInWorker(
  request: Batch,
  trapIds: ReadonlySet<string>,
  options: StealthOptions = {},
): Promise<StealthAudit> {
  const { filename, evalCode } = workerEntry(import.meta.url, 'stealth-worker');
  return new Promise((resolve, reject) => {
    const worker = new Worker(filename, {
      eval: evalCode,
      workerData: { request, trapIds: [...trapIds], options },
    });
    let settled = false;
    worker.once('message', (m: { ok: boolean; audit?: StealthAudit; message?: string }) => {
      settled = true;
      if (m.ok) resolve(m.audit!);
      else reject(new Error(`stealth audit failed: ${m.message}`));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`stealth audit worker exited with code ${code}`));
    });
  });
}
