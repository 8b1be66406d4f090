/**
 * Downloads batches from an S3-style HTTP layout identical to the folder layout:
 * `{baseUrl}/{network}/{date}/{window}/META.json` then each file it lists, md5-checked, and the
 * optional `{baseUrl}/labels/{network}/{date}.{ext}`. Resumable at file granularity: a file already
 * on disk with the right md5 is skipped. META.json is written last, so a local folder with a
 * META.json is complete. Network code lives in http-fetch.ts; this module only orchestrates.
 */
import { join } from 'node:path';
import { amlError, ERRORS, hasErrorCode } from '../errors.js';
import { BatchKeySchema } from '../schemas/batch.js';
import type { TableFormat } from '../schemas/meta.js';
import { batchDir, batchPath, META_FILE, metaFiles, parseMeta } from './batch-folder.js';
import { md5OfFile, writeFileAtomic } from './fs-atomic.js';
import {
  DEFAULT_RETRY_POLICY,
  downloadToFile,
  type FetchLike,
  getBytes,
  type RetryPolicy,
} from './http-fetch.js';
import { decodeLabels, labelsPath } from './labels.js';
import { schemaError } from './parse-request.js';

export interface DownloadOptions {
  baseUrl: string;
  network: string;
  startDate: string;
  endDate: string;
  windowDays: number;
  /** Local root; batches land in `{out}/{network}/{date}/{window}/`. */
  out: string;
  onProgress?: (event: DownloadProgress) => void;
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  fetchImpl?: FetchLike;
  /** Fetch `labels/{network}/{date}.{ext}` when the server has it (default true). */
  labels?: boolean;
  /** A date whose META.json is 404 is reported and skipped instead of failing (default false). */
  skipMissing?: boolean;
}

export type DownloadProgress =
  | { kind: 'batch'; date: string; index: number; total: number; url: string }
  | { kind: 'file'; date: string; file: string; bytes: number; cached: boolean }
  | { kind: 'missing'; date: string; url: string }
  | { kind: 'labels'; date: string; file: string; bytes: number };

export interface DownloadedBatch {
  date: string;
  dir: string;
  downloaded: number;
  cached: number;
  bytes: number;
  labels?: string;
}

export interface DownloadResult {
  batches: DownloadedBatch[];
  missing: string[];
}

const MAX_DAYS = 3660;
const DAY_MS = 86_400_000;

/** The UTC dates from start to end, inclusive. */
export function dateRange(startDate: string, endDate: string): string[] {
  const start = Date.parse(`${startDate}T00:00:00Z`);
  const end = Date.parse(`${endDate}T00:00:00Z`);
  const out: string[] = [];
  for (let t = start; t <= end; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function checkOptions(opts: DownloadOptions): { base: string } {
  let url: URL;
  try {
    url = new URL(opts.baseUrl);
  } catch {
    throw amlError(ERRORS.AML_ERR_IO_DOWNLOAD, [opts.baseUrl, 'not a valid URL']);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw amlError(ERRORS.AML_ERR_IO_DOWNLOAD, [opts.baseUrl, 'expected an http:// or https:// URL']);
  }
  for (const date of [opts.startDate, opts.endDate]) {
    const key = BatchKeySchema.safeParse({
      network: opts.network,
      processing_date: date,
      window_days: opts.windowDays,
    });
    if (!key.success) throw schemaError('download options', key.error);
  }
  if (opts.startDate > opts.endDate) {
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      `start date ${opts.startDate} is after end date ${opts.endDate}`,
    ]);
  }
  if (dateRange(opts.startDate, opts.endDate).length > MAX_DAYS) {
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [`date range longer than ${MAX_DAYS} days`]);
  }
  return { base: url.href.replace(/\/+$/, '') };
}

export async function downloadBatches(opts: DownloadOptions): Promise<DownloadResult> {
  const { base } = checkOptions(opts);
  const policy: RetryPolicy = {
    retries: opts.retries ?? DEFAULT_RETRY_POLICY.retries,
    retryDelayMs: opts.retryDelayMs ?? DEFAULT_RETRY_POLICY.retryDelayMs,
    timeoutMs: opts.timeoutMs ?? DEFAULT_RETRY_POLICY.timeoutMs,
    fetchImpl: opts.fetchImpl ?? DEFAULT_RETRY_POLICY.fetchImpl,
  };
  const progress = opts.onProgress ?? (() => {});
  const dates = dateRange(opts.startDate, opts.endDate);
  const result: DownloadResult = { batches: [], missing: [] };

  for (const [index, date] of dates.entries()) {
    const key = { network: opts.network, processing_date: date, window_days: opts.windowDays };
    const remote = `${base}/${batchPath(key)}`;
    const metaUrl = `${remote}/${META_FILE}`;
    progress({ kind: 'batch', date, index, total: dates.length, url: metaUrl });
    let metaBytes: Uint8Array;
    try {
      metaBytes = await getBytes(metaUrl, policy);
    } catch (err) {
      if (opts.skipMissing && hasErrorCode(err, ERRORS.AML_ERR_IO_NOT_FOUND)) {
        progress({ kind: 'missing', date, url: metaUrl });
        result.missing.push(date);
        continue;
      }
      throw err;
    }
    const meta = parseMeta(metaBytes, metaUrl);
    if (
      meta.network !== key.network ||
      meta.processing_date !== date ||
      meta.window_days !== key.window_days
    ) {
      throw amlError(ERRORS.AML_ERR_IO_FORMAT, [
        metaUrl,
        `it describes ${batchPath(meta)}, expected ${batchPath(key)}`,
      ]);
    }
    const dir = batchDir(opts.out, key);
    const done: DownloadedBatch = { date, dir, downloaded: 0, cached: 0, bytes: 0 };
    let format: TableFormat | undefined;
    for (const [, entry] of metaFiles(meta)) {
      format ??= entry.format;
      const dest = join(dir, entry.file);
      if ((await md5OfFile(dest)) === entry.md5) {
        done.cached++;
        progress({ kind: 'file', date, file: entry.file, bytes: entry.bytes, cached: true });
        continue;
      }
      const bytes = await downloadToFile(`${remote}/${entry.file}`, dest, entry.md5, policy);
      done.downloaded++;
      done.bytes += bytes;
      progress({ kind: 'file', date, file: entry.file, bytes, cached: false });
    }
    await writeFileAtomic(join(dir, META_FILE), metaBytes);
    if ((opts.labels ?? true) && format !== undefined) {
      done.labels = await downloadLabels(base, opts, date, format, policy, progress);
    }
    result.batches.push(done);
  }
  return result;
}

/**
 * Labels arrive days after their batch, so they are fetched again on every run rather than trusted
 * from disk; they have no md5 of their own and are checked by parsing them before the rename.
 */
async function downloadLabels(
  base: string,
  opts: DownloadOptions,
  date: string,
  format: TableFormat,
  policy: RetryPolicy,
  progress: (event: DownloadProgress) => void,
): Promise<string | undefined> {
  const rel = labelsPath(opts.network, date, format);
  let bytes: Uint8Array;
  try {
    bytes = await getBytes(`${base}/${rel}`, policy);
  } catch (err) {
    if (hasErrorCode(err, ERRORS.AML_ERR_IO_NOT_FOUND)) return undefined;
    throw err;
  }
  await decodeLabels(bytes, format, `${base}/${rel}`);
  const dest = join(opts.out, rel);
  await writeFileAtomic(dest, bytes);
  progress({ kind: 'labels', date, file: rel, bytes: bytes.byteLength });
  return dest;
}
