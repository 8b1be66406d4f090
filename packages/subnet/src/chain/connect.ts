/**
 * Opens an ApiPromise on a subtensor websocket with a hard connect deadline and exponential
 * backoff between attempts, and keeps it connected afterwards: when the socket drops it reconnects
 * with the same backoff (ApiPromise re-initialises itself on the provider's `connected` event).
 * An unreachable node fails with AML_ERR_CHAIN_UNREACHABLE within the deadline, never a hang.
 * We drive reconnection ourselves (WsProvider autoConnect off) because its built-in retry has a
 * fixed delay and no deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { amlError, ERRORS } from '../errors.js';

export type ConnectionEvent =
  | {
      readonly type: 'attempt-failed';
      readonly attempt: number;
      readonly error: string;
      readonly retryInMs: number;
    }
  | { readonly type: 'disconnected' }
  | { readonly type: 'reconnected'; readonly attempt: number };

export interface ConnectOptions {
  readonly url: string;
  /** Deadline for the first connection, metadata included (default 15 000 ms). */
  readonly connectTimeoutMs?: number;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Per-RPC timeout handed to WsProvider (default 60 000 ms). */
  readonly rpcTimeoutMs?: number;
  readonly onEvent?: (event: ConnectionEvent) => void;
}

export interface ChainConnection {
  readonly api: ApiPromise;
  readonly url: string;
  /** Raw JSON-RPC (dev_* methods of chopsticks and the like). */
  send(method: string, params: unknown[]): Promise<unknown>;
  isConnected(): boolean;
  close(): Promise<void>;
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  const message = (err as { message?: unknown })?.message;
  return typeof message === 'string' ? message : String(err);
}

/** Resolves once the socket is open; rejects on close, error-then-close, or after `ms`. */
function openSocket(provider: WsProvider, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let lastError = 'connection closed';
    const offs: Array<() => void> = [];
    const done = (fn: () => void) => {
      clearTimeout(timer);
      for (const off of offs) off();
      fn();
    };
    const timer = setTimeout(() => done(() => reject(new Error(`no answer within ${ms} ms`))), ms);
    offs.push(provider.on('connected', () => done(resolve)));
    offs.push(
      provider.on('error', (err: unknown) => {
        lastError = describe(err);
      }),
    );
    offs.push(provider.on('disconnected', () => done(() => reject(new Error(lastError)))));
    provider.connect().catch((err: unknown) => done(() => reject(err)));
  });
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function connectApi(options: ConnectOptions): Promise<ChainConnection> {
  const timeoutMs = options.connectTimeoutMs ?? 15_000;
  const initial = options.initialBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  let delay = initial;
  let lastError = 'no attempt made';
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const provider = new WsProvider(options.url, false, {}, options.rpcTimeoutMs ?? 60_000);
    let api: ApiPromise | undefined;
    try {
      await openSocket(provider, remaining);
      api = new ApiPromise({ provider, noInitWarn: true });
      await withDeadline(api.isReadyOrError, Math.max(1, deadline - Date.now()), 'metadata');
      return keepAlive(api, provider, options, initial, maxBackoff);
    } catch (err) {
      lastError = describe(err);
      await (api ? api.disconnect() : provider.disconnect()).catch(() => undefined);
    }
    const wait = Math.min(delay, deadline - Date.now());
    if (wait <= 0) break;
    options.onEvent?.({ type: 'attempt-failed', attempt, error: lastError, retryInMs: wait });
    await sleep(wait);
    delay = Math.min(delay * 2, maxBackoff);
  }
  throw amlError(ERRORS.AML_ERR_CHAIN_UNREACHABLE, [options.url, timeoutMs, lastError], {
    url: options.url,
  });
}

function keepAlive(
  api: ApiPromise,
  provider: WsProvider,
  options: ConnectOptions,
  initial: number,
  maxBackoff: number,
): ChainConnection {
  let closing = false;
  let reconnecting = false;
  const reconnect = async () => {
    if (reconnecting || closing) return;
    reconnecting = true;
    options.onEvent?.({ type: 'disconnected' });
    let delay = initial;
    for (let attempt = 1; !closing; attempt++) {
      await sleep(delay);
      if (closing) break;
      try {
        await openSocket(provider, Math.max(5_000, delay));
        options.onEvent?.({ type: 'reconnected', attempt });
        break;
      } catch (err) {
        delay = Math.min(delay * 2, maxBackoff);
        options.onEvent?.({ type: 'attempt-failed', attempt, error: describe(err), retryInMs: delay });
      }
    }
    reconnecting = false;
  };
  const off = provider.on('disconnected', () => {
    if (!reconnecting) void reconnect();
  });
  return {
    api,
    url: options.url,
    send: (method, params) => provider.send(method, params),
    isConnected: () => provider.isConnected,
    close: async () => {
      closing = true;
      off();
      await api.disconnect().catch(() => undefined);
    },
  };
}
