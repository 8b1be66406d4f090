/**
 * `npm pack` of both workspaces installs into an empty project and works there: the tarballs hold
 * dist/ and README.md (no sources, no tests), the subnet's dependency on the template is met by the
 * template's tarball (never by the registry), the package roots export what users import, and the
 * three bins run from the installed copy. Slow but bounded: one pack, one install (about 20-40 s).
 * Needs the packages built; without dist/ it skips, saying so.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHotkeyFile } from '../../src/wallet/hotkey.js';
import { REPO_ROOT, repoPath, type Workspace, workspaces } from './repo-facts.js';

const run = promisify(execFile);
const INSTALL_TIMEOUT_MS = 110_000;

const packages = workspaces();
const needed = packages.flatMap((w) => ['dist/index.js', ...Object.values(w.bin)].map((f) => join(w.dir, f)));
const missing = needed.filter((f) => !existsSync(repoPath(f)));
if (missing.length > 0)
  console.warn(`pack.test.ts skipped: ${missing.join(', ')} missing; run \`npm run build\` first`);

/** The environment for child npm runs: npm's per-run variables from an outer `npm test` removed. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ONNXRUNTIME_NODE_INSTALL: 'skip' };
  for (const [k, v] of Object.entries(process.env)) {
    const perRun =
      /^npm_(package|lifecycle)_/i.test(k) ||
      (/^npm_config_/i.test(k) && !/_(cache|registry|userconfig)$/i.test(k));
    if (!perRun) env[k] = v;
  }
  return env;
}

interface Packed {
  name: string;
  version: string;
  filename: string;
  files: { path: string }[];
}

describe.skipIf(missing.length > 0)('npm pack, installed into an empty project', () => {
  let dir: string;
  let app: string;
  let packed: Packed[];

  const npm = (args: string[], cwd: string) =>
    run('npm', args, { cwd, env: childEnv(), timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  const node = (args: string[]) => run(process.execPath, args, { cwd: app, timeout: 30_000 });
  const bin = (name: string) => join(app, 'node_modules', '.bin', name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aml-pack-'));
    app = join(dir, 'app');
    mkdirSync(app);
    const workspaceArgs = packages.flatMap((w) => ['--workspace', w.name]);
    const { stdout } = await npm(['pack', ...workspaceArgs, '--pack-destination', dir, '--json'], REPO_ROOT);
    packed = JSON.parse(stdout);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'aml-pack-smoke', version: '0.0.0', private: true, type: 'module' }),
    );
    // Scripts off: the two native addons' install steps would download or compile; the one
    // binary the smoke test loads (better-sqlite3) is taken from the repo's own install below.
    await npm(
      [
        'install',
        ...packed.map((p) => join(dir, p.filename)),
        '--prefer-offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--no-save',
      ],
      app,
    );
  }, INSTALL_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(packages.map((w) => [w.name, w] as [string, Workspace]))(
    '%s ships bin/, dist/ and README.md only',
    (_, w) => {
      expect(w.files).toEqual(['bin', 'dist', 'README.md']);
      const entry = packed.find((p) => p.name === w.name)!;
      expect(entry.version).toBe(w.version);
      const paths = entry.files.map((f) => f.path);
      for (const file of [
        'package.json',
        'README.md',
        'dist/index.js',
        'dist/index.d.ts',
        ...Object.values(w.bin),
      ])
        expect(paths).toContain(file.replace(/^\.\//, ''));
      expect(
        paths.filter(
          (p) => !p.startsWith('dist/') && !p.startsWith('bin/') && p !== 'package.json' && p !== 'README.md',
        ),
      ).toEqual([]);
      expect(paths.filter((p) => /\.test\.|\/test\//.test(p))).toEqual([]);
    },
  );

  it('meets the subnet dependency on the template with the template tarball', () => {
    const template = packages.find((w) => w.name === '@aml/miner-template')!;
    const installed = join(app, 'node_modules', '@aml', 'miner-template');
    // A real folder (not a link back into the repo) holding the packed version, and no second copy.
    expect(lstatSync(installed).isDirectory()).toBe(true);
    expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version).toBe(template.version);
    expect(existsSync(join(app, 'node_modules', '@aml', 'subnet', 'node_modules', '@aml'))).toBe(false);
  });

  it('exports what users import from both package roots and the template layer entries', async () => {
    const script = `
      const t = await import('@aml/miner-template');
      const s = await import('@aml/subnet');
      const names = { t: ['createServer', 'generateBatch', 'AlertScorer', 'loadConfig', 'ERRORS'],
        s: ['AxonProxy', 'Dendrite', 'SqliteStore', 'buildValidatorProgram', 'buildMinerProxyProgram'] };
      const layers = { errors: 'hasErrorCode', schemas: 'AlertSchema', data: 'readBatch', synthetic: 'generateBatch',
        tiers: 'checkTier1', models: 'TreeModel', api: 'createServer', cli: 'runCli' };
      const l = {};
      for (const [layer, name] of Object.entries(layers)) l[layer] = typeof (await import('@aml/miner-template/' + layer))[name];
      console.log(JSON.stringify({ t: names.t.map((n) => typeof t[n]), s: names.s.map((n) => typeof s[n]), l }));`;
    const { stdout } = await node(['--input-type=module', '-e', script]);
    expect(JSON.parse(stdout)).toEqual({
      t: ['function', 'function', 'function', 'function', 'object'],
      s: ['function', 'function', 'function', 'function', 'function'],
      l: {
        errors: 'function',
        schemas: 'object',
        data: 'function',
        synthetic: 'function',
        tiers: 'function',
        models: 'function',
        api: 'function',
        cli: 'function',
      },
    });
  });

  it.each([
    ['aml-miner', 'serve'],
    ['aml-miner-proxy', '--miner.api_url'],
    ['aml-validator', '--subtensor.network'],
  ])('runs %s --help from the installed copy', async (name, expected) => {
    const { stdout } = await run(bin(name), ['--help'], { cwd: app, timeout: 30_000 });
    expect(stdout).toContain(`Usage: ${name}`);
    expect(stdout).toContain(expected);
  });

  it("serves the validator dashboard's page and uPlot from the installed copy", async () => {
    // the page is copied into dist/ by the build and uPlot resolved from the install's node_modules
    const script = `
      const { startDashboard } = await import('@aml/subnet');
      const none = async () => [];
      const store = { recentCycles: none, latestCycle: async () => undefined, cycleReport: async () => ({}),
        tierResults: none, answerSummaries: none };
      const server = await startDashboard({ store, port: 0 });
      const codes = [];
      for (const path of ['', 'dashboard.js', 'vendor/uPlot.iife.min.js', 'api/status'])
        codes.push((await fetch(server.url + path)).status);
      await server.close();
      console.log(JSON.stringify(codes));`;
    const { stdout } = await node(['--input-type=module', '-e', script]);
    expect(JSON.parse(stdout)).toEqual([200, 200, 200, 200]);
  });

  it('writes a hotkey with the installed proxy that the source loads back', async () => {
    const wallets = join(dir, 'wallets');
    const { stdout } = await run(
      bin('aml-miner-proxy'),
      ['wallet', 'create', '--wallet.name', 'w', '--wallet.hotkey', 'h', '--wallet.path', wallets],
      { cwd: app, timeout: 30_000 },
    );
    const printed = /ss58Address: (\w+)/.exec(stdout)?.[1];
    const loaded = await loadHotkeyFile({ name: 'w', hotkey: 'h', path: wallets });
    expect(loaded.ss58Address).toBe(printed);
  });

  it('opens a validator store through the installed better-sqlite3', async () => {
    const version = (root: string) =>
      JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')).version;
    const addon = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(join(REPO_ROOT, addon)) || version(REPO_ROOT) !== version(app)) {
      console.warn('pack.test.ts: no matching better-sqlite3 build in the repo; store check skipped');
      return;
    }
    mkdirSync(join(app, 'node_modules', 'better-sqlite3', 'build', 'Release'), { recursive: true });
    copyFileSync(join(REPO_ROOT, addon), join(app, addon));
    const file = join(dir, 'v.sqlite');
    const script = `
      const { SqliteStore } = await import('@aml/subnet');
      const store = new SqliteStore(${JSON.stringify(file)});
      console.log(String(await store.latestCycle()));
      await store.close();`;
    const { stdout } = await node(['--input-type=module', '-e', script]);
    expect(stdout.trim()).toBe('undefined');
    // Read back with the repo's own driver: the installed store created its schema there.
    const db = new Database(file, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    db.close();
    expect(tables.map((t) => t.name)).toContain('cycles');
  });
});
