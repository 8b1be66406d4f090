/**
 * `aml-miner serve` as a process: it starts from flags, answers /health and /version, exits 0 on
 * SIGTERM after draining, and refuses an invalid variable naming it (exit 2, no stack trace).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { HealthSchema, VersionSchema } from '../../src/schemas/api.js';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const CLI = ['--import', 'tsx', 'src/cli/main.ts', 'serve'];

function run(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...CLI, ...args], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk) => {
    text += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    text += String(chunk);
  });
  return { child, output: () => text };
}

const exitCode = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });

describe('aml-miner serve', () => {
  it('serves, then drains and exits 0 on SIGTERM', async () => {
    const { child, output } = run([
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--models-dir',
      'no-such-models-dir',
    ]);
    try {
      let url: string | undefined;
      for (let i = 0; i < 300 && url === undefined; i++) {
        url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1];
        if (url === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(url, output()).toBeDefined();
      const health = await request(`${url}/health`);
      const body = HealthSchema.parse(await health.body.json());
      // 200 only when every model is loaded: the status and the body must agree
      expect(health.statusCode).toBe(body.status === 'healthy' ? 200 : 503);
      const version = await request(`${url}/version`);
      expect(version.statusCode).toBe(200);
      VersionSchema.parse(await version.body.json());
      child.kill('SIGTERM');
      expect(await exitCode(child)).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses an invalid environment variable, naming it', async () => {
    const { child, output } = run([], { AML_PORT: 'eighty' });
    expect(await exitCode(child)).toBe(2); // a usage error (docs/errors.md)
    expect(output()).toContain('AML_ERR_CONFIG_INVALID');
    expect(output()).toContain('AML_PORT="eighty"');
    expect(output()).not.toContain('    at ');
  });
});
