/**
 * `aml-miner` as a child process, with what it printed and its exit code: for tests that must see
 * what a user sees. By default the CLI program from source (through tsx); with `bin`, the installed
 * bin (`bin/aml-miner.js`, which runs dist/) when the package is built, as in CI, and the source
 * otherwise (a local run before `npm run build`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const BIN_BUILT = existsSync(join(PACKAGE_DIR, 'dist', 'cli', 'main.js'));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { bin?: boolean } = {}): Promise<Run> {
  const entry = options.bin && BIN_BUILT ? ['bin/aml-miner.js'] : ['--import', 'tsx', 'src/cli/main.ts'];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, AML_DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
