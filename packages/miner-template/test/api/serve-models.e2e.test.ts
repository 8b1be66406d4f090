/**
 * `aml-miner serve` loading models, as a process (docs/api.md: loading is loud): a model file that is
 * present but unusable stops start-up with one line naming the file and the reason; a task with no
 * model file starts degraded with a warning naming it; the ready line names every model's version.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const SHIPPED = fileURLToPath(new URL('../../../../trained_models', import.meta.url));
/** The shipped models' version (all three share it), read from the folder rather than written here. */
let V: string;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `aml-miner serve` until it exits, or until it logs its ready line (then stops it). */
function serve(modelsDir: string): Promise<Outcome> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--models-dir', modelsDir],
    { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let stopping = false;
  child.stdout.on('data', (c) => {
    stdout += String(c);
    // one SIGTERM: a second during the drain means "exit now" (exit 1), which is not under test here
    if (!stopping && stdout.includes('aml-miner API ready')) {
      stopping = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (c) => {
    stderr += String(c);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const logLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: number; msg: string });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aml-serve-models-'));
  const metadata = JSON.parse(await readFile(join(SHIPPED, 'model_metadata.json'), 'utf8'));
  V = metadata.alert_scorer.model_version;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function folder(name: string, files: string[]): Promise<string> {
  const out = join(dir, name);
  await rm(out, { recursive: true, force: true });
  await mkdir(out);
  for (const f of files) await copyFile(join(SHIPPED, f), join(out, f));
  return out;
}

describe('aml-miner serve: model loading', () => {
  it('listens on 127.0.0.1 by default and names each model and version in the ready line', async () => {
    const r = await serve(SHIPPED);
    // no --host: the API has no authentication, so by default it listens on loopback only
    expect(r.stdout).toMatch(/"msg":"Server listening at http:\/\/127\.0\.0\.1:\d+"/);
    expect(r.stdout).not.toMatch(/Server listening at http:\/\/(?!127\.0\.0\.1)/);
    const ready = logLines(r.stdout).find((l) => l.msg.startsWith('aml-miner API ready'));
    expect(ready?.msg, r.stdout + r.stderr).toBe(
      `aml-miner API ready: alert_scorer ${V}, alert_ranker ${V}, cluster_scorer ${V}`,
    );
  });

  it('refuses to start on a garbage higher version, a corrupt .onnx and a model with foreign features', async () => {
    const models = await folder('broken', await readdir(SHIPPED));
    // a broken v2.0.0 must not hide behind (or be hidden by) the working shipped version
    await writeFile(join(models, 'alert_scorer_v2.0.0.txt'), 'garbage\n');
    await writeFile(join(models, `alert_ranker_v${V}.onnx`), 'garbage');
    // a LightGBM model trained in Python on a column our feature builder does not make
    const cluster = join(models, `cluster_scorer_v${V}.txt`);
    const text = await readFile(cluster, 'utf8');
    await writeFile(
      cluster,
      text.replace(/^feature_names=\S+/m, (m) => m.replace(/=[^ ]+/, '=py_extra_feature')),
    );
    await rm(join(models, `cluster_scorer_v${V}.onnx`));
    const r = await serve(models);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('API ready');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `error [AML_ERR_MODEL_LOAD_FAILED]: cannot serve a model file: ${models}/alert_scorer_v2.0.0.txt: cannot read model: expected first line "tree", got "garbage"; ` +
        `${models}/alert_ranker_v${V}.onnx: Failed to load model because protobuf parsing failed.; ` +
        `${models}/cluster_scorer_v${V}.txt: feature mismatch for model cluster_scorer: the builder cannot produce 1 column(s): py_extra_feature`,
    ]);
  });

  it('says when a model cannot load because model_metadata.json lacks its entry', async () => {
    // A ranker that wants a column only its metadata entry could declare, with no entry at all.
    const models = await folder('no-metadata', [`alert_ranker_v${V}.txt`]);
    const ranker = join(models, `alert_ranker_v${V}.txt`);
    const text = await readFile(ranker, 'utf8');
    await writeFile(
      ranker,
      text.replace(/^feature_names=\S+/m, (m) => m.replace(/=[^ ]+/, '=extra_column_x')),
    );
    const r = await serve(models);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error [AML_ERR_MODEL_LOAD_FAILED]: cannot serve a model file: ${models}/alert_ranker_v${V}.txt: feature mismatch for model alert_ranker: the builder cannot produce 1 column(s): extra_column_x (model_metadata.json in ${models} has no alert_ranker entry)\n`,
    );
  });

  it('starts degraded with a warning per missing model when the folder does not exist', async () => {
    const missing = join(dir, 'no-such-folder');
    const r = await serve(missing);
    expect(r.code, r.stderr).toBe(0);
    const lines = logLines(r.stdout);
    for (const name of ['alert_scorer', 'alert_ranker', 'cluster_scorer'])
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 40,
          msg: `model ${name} not loaded: no ${name}_v<version>.txt in ${missing} (the folder does not exist)`,
        }),
      );
    expect(lines.find((l) => l.msg.startsWith('aml-miner API ready'))?.msg).toBe(
      'aml-miner API ready: alert_scorer not loaded, alert_ranker not loaded, cluster_scorer not loaded',
    );
  });
});
