/**
 * HTTP GETs for the downloader: retries with exponential backoff on transient failures (5xx, 429,
 * connection resets and other network errors), none on the rest (404 becomes AML_ERR_IO_NOT_FOUND,
 * other 4xx AML_ERR_IO_DOWNLOAD). Files stream to `{dest}.part` while their md5 is computed, and
 * are renamed into place only when the md5 matches, so no partial file ever has the final name.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fetch as undiciFetch } from 'undici';
import { AmlError, amlError, ERRORS } from '../errors.js';

/** The slice of the fetch API the downloader uses (undici's fetch and the global fetch both fit). */
export type FetchLike = (
  url: string,
  init?: { signal?: AbortSignal },
) => Promise<{
  ok: boolean;
  status: number;
  statusText: string;
  body: AsyncIterable<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

export interface RetryPolicy {
  /** Extra attempts after the first (default 3). */
  retries: number;
  /** First backoff; doubles per attempt, capped at 8 s (default 250 ms). */
  retryDelayMs: number;
  /** Whole-request timeout per attempt (default 10 min). */
  timeoutMs: number;
  fetchImpl: FetchLike;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  retryDelayMs: 250,
  timeoutMs: 600_000,
  fetchImpl: undiciFetch as unknown as FetchLike,
};

/** Marks a failure worth another attempt. */
class TransientError extends Error {}

function httpFailure(url: string, status: number, statusText: string): Error {
  if (status === 404) return amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [url], { url, status });
  const message = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  if (status >= 500 || status === 429) return new TransientError(message);
  return amlError(ERRORS.AML_ERR_IO_DOWNLOAD, [url, message], { url, status });
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
]);

function errorCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  const code = cause?.code ?? (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Network-level errors (reset, refused, timeout, socket closed: undici reports them as a TypeError
 * "fetch failed" with a coded cause) are worth a retry; local errors such as a full disk are not.
 */
function isTransient(err: unknown): boolean {
  if (err instanceof TransientError) return true;
  if (err instanceof AmlError || !(err instanceof Error)) return false;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  const code = errorCode(err);
  if (code !== undefined) return TRANSIENT_CODES.has(code) || code.startsWith('UND_ERR');
  return err.name === 'TypeError' && err.message === 'fetch failed';
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = errorCode(err);
  return code ? `${err.message} (${code})` : err.message;
}

/** Runs `attempt` until it succeeds, fails for good, or runs out of retries. */
async function withRetries<T>(url: string, policy: RetryPolicy, attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isTransient(err)) throw err;
      if (i >= policy.retries) {
        throw amlError(
          ERRORS.AML_ERR_IO_DOWNLOAD,
          [url, `${describe(err)} after ${i + 1} attempt(s)`],
          { url, attempts: i + 1 },
          err,
        );
      }
      await sleep(Math.min(8000, policy.retryDelayMs * 2 ** i));
    }
  }
}

export function getBytes(url: string, policy: RetryPolicy): Promise<Uint8Array> {
  return withRetries(url, policy, async () => {
    const res = await policy.fetchImpl(url, { signal: AbortSignal.timeout(policy.timeoutMs) });
    if (!res.ok) throw httpFailure(url, res.status, res.statusText);
    return new Uint8Array(await res.arrayBuffer());
  });
}

/**
 * Streams `url` to `dest` via `{dest}.part`, checking the md5 (when given) before the rename.
 * Returns the byte count. A mismatch is not retried: the server holds a different file.
 */
export function downloadToFile(
  url: string,
  dest: string,
  expectedMd5: string | undefined,
  policy: RetryPolicy,
): Promise<number> {
  const part = `${dest}.part`;
  return withRetries(url, policy, async () => {
    await mkdir(dirname(dest), { recursive: true });
    const hash = createHash('md5');
    let bytes = 0;
    try {
      const res = await policy.fetchImpl(url, { signal: AbortSignal.timeout(policy.timeoutMs) });
      if (!res.ok) throw httpFailure(url, res.status, res.statusText);
      const handle = await open(part, 'w');
      try {
        if (res.body !== null) {
          for await (const chunk of res.body) {
            hash.update(chunk);
            bytes += chunk.byteLength;
            await handle.write(chunk);
          }
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const md5 = hash.digest('hex');
      if (expectedMd5 !== undefined && md5 !== expectedMd5) {
        throw amlError(ERRORS.AML_ERR_IO_MD5_MISMATCH, [url, expectedMd5, md5], {
          url,
          expected: expectedMd5,
          actual: md5,
        });
      }
      await rename(part, dest);
      return bytes;
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
  });
}
