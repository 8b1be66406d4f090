/**
 * Where LocalChain keeps its state. MemoryStore serves one process (tests, several clients in one
 * validator process); FileStore lets separate processes (a validator and several axon proxies in
 * the localnet demo) share one chain through a JSON file: every extrinsic takes an exclusive lock
 * file (O_EXCL create, stale locks older than `staleLockMs` are broken), reads, applies to a copy
 * and writes a temp file renamed over the original, so readers never see a torn file and a failed
 * extrinsic leaves the state untouched.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { amlError } from '@aml/miner-template';
import { CHAIN_ERRORS } from './errors.js';
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
}

function parseState(path: string, text: string): LocalChainState {
  let state: LocalChainState;
  try {
    state = JSON.parse(text) as LocalChainState;
  } catch (err) {
    throw amlError(CHAIN_ERRORS.AML_ERR_CHAIN_LOCAL_STATE, [path, 'not valid JSON'], undefined, err);
  }
  if (state?.version !== 1 || typeof state.subnets !== 'object') {
    throw amlError(CHAIN_ERRORS.AML_ERR_CHAIN_LOCAL_STATE, [
      path,
      'expected a LocalChain state file (version 1)',
    ]);
  }
  return state;
}

export class FileStore implements LocalChainStore {
  readonly label: string;
  readonly #path: string;
  readonly #lockPath: string;
  readonly #lockTimeoutMs: number;
  readonly #staleLockMs: number;

  constructor(path: string, options: FileStoreOptions = {}) {
    this.#path = path;
    this.#lockPath = `${path}.lock`;
    this.label = path;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.#staleLockMs = options.staleLockMs ?? 30_000;
  }

  /** Writes an initial state, replacing any file at the path. */
  static async create(path: string, state: LocalChainState, options?: FileStoreOptions): Promise<FileStore> {
    const store = new FileStore(path, options);
    await store.#withLock(() => store.#write(state));
    return store;
  }

  async read(): Promise<LocalChainState> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (err) {
      throw amlError(CHAIN_ERRORS.AML_ERR_CHAIN_LOCAL_STATE, [this.#path, 'cannot be read'], undefined, err);
    }
    return parseState(this.#path, text);
  }

  async update<T>(fn: (state: LocalChainState) => T): Promise<T> {
    return this.#withLock(async () => {
      const state = await this.read();
      const result = fn(state);
      await this.#write(state);
      return result;
    });
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
          throw amlError(CHAIN_ERRORS.AML_ERR_CHAIN_LOCAL_STATE, [
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
