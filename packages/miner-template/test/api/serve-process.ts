/**
 * `aml-miner serve` with the shipped models as its own process on 127.0.0.1 (port 0), for tests
 * that must see what an operator sees: separate processes, the real log on stdout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const MODELS = fileURLToPath(new URL('../../../../trained_models', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** Every JSON log line the process has written so far. */
  logs: Record<string, unknown>[];
}

/** Resolves once the server listens; rejects with its output if it exits first. */
export function startServeProcess(env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--models-dir',
      MODELS,
    ],
    { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  const logs: Record<string, unknown>[] = [];
  let text = '';
  let pending = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += String(chunk);
      pending += String(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not a log line (e.g. the ready banner)
        }
      }
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      if (url) resolve({ child, url, logs });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${text}`)));
  });
}
