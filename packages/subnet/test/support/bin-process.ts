/**
 * The built bins (`dist/`) as separate processes for crash and fault tests: each in its own
 * process group, so a test kills it (and anything it started) with SIGKILL by group, the way a
 * host dies, at a log line or a store-write pause (`AML_TEST_PAUSE`, src/validator/test-hooks.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const BINS = {
  validator: `${ROOT}packages/subnet/dist/cli/validator.js`,
  proxy: `${ROOT}packages/subnet/dist/cli/miner-proxy.js`,
  miner: `${ROOT}packages/miner-template/dist/cli/main.js`,
} as const;
export const MODELS = `${ROOT}trained_models`;
export const built = Object.values(BINS).every((f) => existsSync(f));
/** The committed bin shim each built bin is started through by operators. */
const SHIMS: Record<string, string> = {
  [BINS.validator]: `${ROOT}packages/subnet/bin/aml-validator.js`,
  [BINS.proxy]: `${ROOT}packages/subnet/bin/aml-miner-proxy.js`,
  [BINS.miner]: `${ROOT}packages/miner-template/bin/aml-miner.js`,
};

/**
 * The node flags a bin's shim starts with (its `#!/usr/bin/env -S node …` line), so tests run
 * what operators run: the miner's `--expose-gc`, the subnet bins' young-generation size.
 */
export function shimNodeFlags(bin: string): string[] {
  const shim = SHIMS[bin];
  if (shim === undefined) return [];
  const first = readFileSync(shim, 'utf8').split('\n', 1)[0];
  const m = /^#!\/usr\/bin\/env -S node(.*)$/.exec(first);
  return m
    ? m[1]
        .trim()
        .split(/\s+/)
        .filter((f) => f.length > 0)
    : [];
}

export interface BinProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the output once a line matches; rejects if the process exits first or on timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGKILL to the whole process group. */
  kill(): void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

export function startBin(bin: string, args: string[], env: Record<string, string> = {}): BinProcess {
  const child = spawn(process.execPath, [...shimNodeFlags(bin), bin, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    text += String(d);
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
    (resolve) => {
      child.on('close', (code, signal) => {
        for (const w of waiters) w();
        resolve({ code, signal, output: text });
      });
    },
  );
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    child,
    output: () => text,
    exited,
    kill() {
      if (child.pid !== undefined && !done) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`no ${pattern} within ${timeoutMs} ms:\n${text}`)),
          timeoutMs,
        );
        const finish = (err?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (err) reject(err);
          else resolve(text);
        };
        const check = () => {
          if (pattern.test(text)) finish();
          else if (done) finish(new Error(`exited before ${pattern}:\n${text}`));
        };
        waiters.add(check);
        check();
      });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls a URL until it answers 200. */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `aml-miner serve` with the shipped models on 127.0.0.1:`port`, once it answers. */
export async function startMinerApiBin(port: number): Promise<{ api: BinProcess; url: string }> {
  const url = `http://127.0.0.1:${port}`;
  const api = startBin(BINS.miner, [
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--models-dir',
    MODELS,
    '--log-level',
    'warn',
  ]);
  await waitForHttp(`${url}/version`);
  return { api, url };
}

/** `aml-miner-proxy` on 127.0.0.1:`port` in front of `apiUrl`, signing with `hotkeySeed`, once it answers. */
export async function startProxyBin(
  apiUrl: string,
  port: number,
  hotkeySeed: string,
  extraArgs: readonly string[],
): Promise<BinProcess> {
  const proxy = startBin(
    BINS.proxy,
    [
      '--miner.api_url',
      apiUrl,
      '--axon.ip',
      '127.0.0.1',
      '--axon.port',
      String(port),
      ...extraArgs,
      '--logging.level',
      'warn',
    ],
    { AML_HOTKEY_SEED: hotkeySeed },
  );
  await waitForHttp(`http://127.0.0.1:${port}/healthz`);
  return proxy;
}
