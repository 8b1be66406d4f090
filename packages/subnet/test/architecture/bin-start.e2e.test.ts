/**
 * What the subnet bins load at start: `--help` runs every import a bin makes before it parses its
 * flags. Neither bin serves the miner API or runs a model, so neither may load Fastify, its Swagger
 * plugins or onnxruntime-node (docs/architecture.md); @polkadot/api waits until a real chain is
 * opened, and the validator's store driver and batch codecs until a command runs. A resolve hook
 * in the child names every package it resolves. Runs the built bins (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HOOK = `export async function resolve(specifier, context, next) {
  const found = await next(specifier, context);
  const pkg = found.url.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//);
  if (pkg) process.stderr.write('resolved-package ' + pkg[1] + '\\n');
  return found;
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`;

function packagesLoadedBy(bin: string): Set<string> {
  const path = fileURLToPath(new URL(`../../bin/${bin}.js`, import.meta.url));
  const run = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, path, '--help'],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain('Usage:');
  return new Set([...run.stderr.matchAll(/^resolved-package (\S+)$/gm)].map((m) => m[1]!));
}

describe.each(['aml-miner-proxy', 'aml-validator'])('%s at start', (bin) => {
  it('loads neither Fastify, Swagger, onnxruntime-node nor @polkadot/api', () => {
    const loaded = packagesLoadedBy(bin);
    expect(loaded.has('commander')).toBe(true); // the hook sees packages at all
    for (const heavy of [
      'fastify',
      '@fastify/swagger',
      '@fastify/swagger-ui',
      'onnxruntime-node',
      '@polkadot/api',
    ]) {
      expect(loaded.has(heavy), heavy).toBe(false);
    }
  });
});

describe('aml-validator at start', () => {
  it('loads no store driver and no batch codec before a command runs', () => {
    const loaded = packagesLoadedBy('aml-validator');
    expect(loaded.has('zod')).toBe(true); // the flags' own imports are seen
    for (const lazy of ['better-sqlite3', 'pg', 'apache-arrow', 'hyparquet', 'hyparquet-writer']) {
      expect(loaded.has(lazy), lazy).toBe(false);
    }
  });
});
