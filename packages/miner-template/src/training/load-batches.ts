/**
 * Finds and reads labelled batches under a data root laid out as docs/data-contracts.md says:
 * `{root}/{network}/{date}/{window_days}/` with labels at `{root}/labels/{network}/{date}.*`.
 * Dates without labels are skipped (they cannot teach anything) and reported.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readBatch } from '../data/batch-folder.js';
import { readLabels } from '../data/labels.js';
import { amlError, ERRORS } from '../errors.js';
import type { LabelledBatch } from './training-set.js';

export interface FindBatchesOptions {
  root: string;
  network: string;
  windowDays: number;
  /** Inclusive YYYY-MM-DD bounds; all dates found when omitted. */
  startDate?: string;
  endDate?: string;
}

async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export async function loadLabelledBatches(
  options: FindBatchesOptions,
): Promise<{ batches: LabelledBatch[]; skipped: { date: string; reason: string }[] }> {
  const dates = (await listDir(join(options.root, options.network))).filter(
    (d) =>
      /^\d{4}-\d{2}-\d{2}$/.test(d) &&
      (!options.startDate || d >= options.startDate) &&
      (!options.endDate || d <= options.endDate),
  );
  const batches: LabelledBatch[] = [];
  const skipped: { date: string; reason: string }[] = [];
  for (const date of dates) {
    const windows = await listDir(join(options.root, options.network, date));
    if (!windows.includes(String(options.windowDays))) continue;
    const key = { network: options.network, processing_date: date, window_days: options.windowDays };
    let labels: LabelledBatch['labels'];
    try {
      labels = await readLabels(options.root, options.network, date);
    } catch (err) {
      skipped.push({ date, reason: err instanceof Error ? err.message : String(err) });
      continue;
    }
    batches.push({ batch: await readBatch(options.root, key), labels });
  }
  if (batches.length === 0) {
    throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [
      `no labelled batches for ${options.network} (window ${options.windowDays}) under ${options.root}` +
        (skipped.length ? `; skipped: ${skipped.map((s) => `${s.date} (${s.reason})`).join('; ')}` : ''),
    ]);
  }
  return { batches, skipped };
}
