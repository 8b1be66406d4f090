/**
 * Where LocalChain keeps its state. MemoryStore serves one process (tests, several clients in one
 * validator process); FileStore lets separate processes (a validator and several axon proxies in
 * the localnet demo) share one chain through a JSON file: every extrinsic takes an exclusive lock
 * file (O_EXCL create, stale locks older than `staleLockMs` are broken), reads, applies to a copy
 * and writes a temp file renamed over the original, so readers never see a torn file and a failed
 * extrinsic leaves the state untouched. The file is LocalChain's transport: when it is missing or
 * unreadable (moved away, a network share gone), a store opened with `unavailableTimeoutMs` retries
 * with exponential backoff until the deadline and reports each step through `onEvent`, the way a
 * websocket client reconnects to a node.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { amlError, ERRORS, hasErrorCode } from '../errors.js';
import type { ConnectionEvent } from './connect.js';
import type { LocalChainState } from './local-chain-state.js';

export interface LocalChainStore {
  readonly label: string;
  read(): Promise<LocalChainState>;
  /** Applies `fn` to a copy of the state and keeps the copy only if `fn` returns without throwing. */
  update<T>(fn: (state: LocalChainState) => T): Promise<T>;
}

export class MemoryStore implements LocalChainStore {
  readonly label = 'memory';
  #state: LocalChainState;

  constructor(state: LocalChainState) {
    this.#state = structuredClone(state);
  }

  async read(): Promise<LocalChainState> {
    return structuredClone(this.#state);
  }

  async update<T>(fn: (state: LocalChainState) => T): Promise<T> {
    const next = structuredClone(this.#state);
    const result = fn(next);
    this.#state = next;
    return result;
  }
}

export interface FileStoreOptions {
  readonly lockTimeoutMs?: number;
  readonly staleLockMs?: number;
  /** How long an unavailable state file is retried before failing (default 0: fail at once). */
  readonly unavailableTimeoutMs?: number;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly onEvent?: (event: ConnectionEvent) => void;
}

/** File-system failures that can pass (the file comes back), as opposed to a corrupt state. */
const TRANSIENT = new Set(['ENOENT', 'EACCES', 'EPERM', 'EIO', 'EBUSY', 'ESTALE', 'ENOTCONN', 'EAGAIN']);

function isUnavailable(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } }).cause;
  return hasErrorCode(err, ERRORS.AML_ERR_CHAIN_LOCAL_STATE) && TRANSIENT.has(cause?.code ?? '');
}

function parseState(path: string, text: string): LocalChainState {
  let state: LocalChainState;
  try {
    state = JSON.parse(text) as LocalChainState;
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_CHAIN_LOCAL_STATE, [path, 'not valid JSON'], undefined, err);
  }
  if (state?.version !== 1 || typeof state.subnets !== 'object') {
    throw amlError(ERRORS.AML_ERR_CHAIN_LOCAL_STATE, [path, 'expected a LocalChain state file (version 1)']);
  }
  return state;
}

export class FileStore implements LocalChainStore {
  readonly label: string;
  readonly #path: string;
  readonly #lockPath: string;
  readonly #lockTimeoutMs: number;
  readonly #staleLockMs: number;
  readonly #options: FileStoreOptions;

  constructor(path: string, options: FileStoreOptions = {}) {
    this.#path = path;
    this.#lockPath = `${path}.lock`;
    this.label = path;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.#staleLockMs = options.staleLockMs ?? 30_000;
    this.#options = options;
  }

  /** Writes an initial state, replacing any file at the path. */
  static async create(path: string, state: LocalChainState, options?: FileStoreOptions): Promise<FileStore> {
    const store = new FileStore(path, options);
    await store.#withLock(() => store.#write(state));
    return store;
  }

  async read(): Promise<LocalChainState> {
    return this.#available(() => this.#readOnce());
  }

  async update<T>(fn: (state: LocalChainState) => T): Promise<T> {
    // The whole extrinsic is retried: a failed read leaves nothing applied or written.
    return this.#available(() =>
      this.#withLock(async () => {
        const state = await this.#readOnce();
        const result = fn(state);
        await this.#write(state);
        return result;
      }),
    );
  }

  /** Runs `op`, retrying with backoff while the file is unavailable, up to the deadline. */
  async #available<T>(op: () => Promise<T>): Promise<T> {
    const { unavailableTimeoutMs = 0, onEvent } = this.#options;
    const deadline = Date.now() + unavailableTimeoutMs;
    let delay = this.#options.initialBackoffMs ?? 250;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await op();
        if (attempt > 1) onEvent?.({ type: 'reconnected', attempt: attempt - 1 });
        return result;
      } catch (err) {
        const wait = Math.min(delay, deadline - Date.now());
        if (!isUnavailable(err) || wait <= 0) throw err;
        if (attempt === 1) onEvent?.({ type: 'disconnected' });
        onEvent?.({ type: 'attempt-failed', attempt, error: (err as Error).message, retryInMs: wait });
        await sleep(wait);
        delay = Math.min(delay * 2, this.#options.maxBackoffMs ?? 5_000);
      }
    }
  }

  async #readOnce(): Promise<LocalChainState> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (err) {
      throw amlError(ERRORS.AML_ERR_CHAIN_LOCAL_STATE, [this.#path, 'cannot be read'], undefined, err);
    }
    return parseState(this.#path, text);
  }

  async #write(state: LocalChainState): Promise<void> {
    const tmp = `${this.#path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
    await rename(tmp, this.#path);
  }

  async #withLock<T>(body: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#lockTimeoutMs;
    for (;;) {
      try {
        const handle = await open(this.#lockPath, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        await this.#breakStaleLock();
        if (Date.now() > deadline) {
          throw amlError(ERRORS.AML_ERR_CHAIN_LOCAL_STATE, [
            this.#path,
            `lock ${this.#lockPath} held for more than ${this.#lockTimeoutMs} ms`,
          ]);
        }
        await sleep(5 + Math.floor(Math.random() * 10));
      }
    }
    try {
      return await body();
    } finally {
      await rm(this.#lockPath, { force: true });
    }
  }

  async #breakStaleLock(): Promise<void> {
    try {
      const info = await stat(this.#lockPath);
      // A holder that died mid-extrinsic must not wedge the demo forever.
      if (Date.now() - info.mtimeMs > this.#staleLockMs) await rm(this.#lockPath, { force: true });
    } catch {
      // the lock vanished between open and stat: retry
    }
  }
}
