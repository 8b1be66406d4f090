/**
 * How to start a worker thread on one of our modules: the compiled `.js` beside the caller when
 * running from dist/, or, from TypeScript source (tsx, vitest), a tiny eval script that registers
 * tsx's ESM hooks in the worker before importing the `.ts` file (Node 20 does not apply
 * `--import tsx` hooks to a worker's own entry file).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerEntry {
  filename: string;
  evalCode: boolean;
}

/** `callerUrl` is the caller's import.meta.url; `baseName` the worker module without extension. */
export function workerEntry(callerUrl: string, baseName: string): WorkerEntry {
  if (!callerUrl.endsWith('.ts')) {
    return { filename: fileURLToPath(new URL(`./${baseName}.js`, callerUrl)), evalCode: false };
  }
  const tsxDir = dirname(createRequire(callerUrl).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL(`./${baseName}.ts`, callerUrl).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return { filename: code, evalCode: true };
}

/**
 * The same as a module file, for pools that import a file rather than run code (piscina): the
 * compiled `.js`, or, from TypeScript source, a bootstrap `.mjs` written once to the temp directory
 * that registers tsx and re-exports the `.ts` module's default export.
 */
export function workerModuleFile(callerUrl: string, baseName: string): string {
  const entry = workerEntry(callerUrl, baseName);
  if (!entry.evalCode) return entry.filename;
  const tsxDir = dirname(createRequire(callerUrl).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const target = new URL(`./${baseName}.ts`, callerUrl).href;
  const code = [
    `const tsx = await import(${JSON.stringify(api)});`,
    'tsx.register();',
    `const mod = await import(${JSON.stringify(target)});`,
    'export default mod.default;',
    '',
  ].join('\n');
  const file = join(
    tmpdir(),
    `aml-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`,
  );
  writeFileSync(file, code);
  return file;
}
