/**
 * What `aml-miner` loads (issue 15): start-up, --version and --help load only the command
 * declarations (each command's implementation is imported by its action), and `gbdt predict` on a
 * CSV with a text model loads the predictor but not the ONNX, Parquet, TreeSHAP, training or API
 * code, and `gbdt train` with usual parameters does not load zod (its parameters are checked
 * without it, gbdt/params-fast.ts). The process runs with a resolve hook (module-log.mjs) that records every module it loads.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_DIR } from './cli-process.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aml-miner-startup-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let runs = 0;

/** Runs the CLI from source; returns its exit code and the project modules and packages it loaded. */
async function loaded(args: string[]): Promise<{ code: number | null; src: string[]; packages: string[] }> {
  const log = join(dir, `modules-${runs++}.txt`);
  const child = spawn(
    process.execPath,
    ['--import', './test/module-log.mjs', '--import', 'tsx', 'src/cli/main.ts', ...args],
    { cwd: PACKAGE_DIR, env: { ...process.env, AML_MODULE_LOG: log }, stdio: 'ignore' },
  );
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const urls = [...new Set((await readFile(log, 'utf8')).trim().split('\n'))];
  const src = urls
    .map((u) => /\/miner-template\/src\/(.+)$/.exec(u)?.[1])
    .filter((p): p is string => p !== undefined)
    .sort();
  const packages = [
    ...new Set(
      urls
        .map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1])
        .filter((p): p is string => p !== undefined && p !== 'tsx' && p !== 'esbuild'),
    ),
  ].sort();
  return { code, src, packages };
}

/** The modules a command declaration may load: the CLI's own files and the leaf lists of choices. */
const DECLARATIONS = /^(cli\/(main|run|flags|batch-options)\.ts|cli\/commands\/[a-z-]+\.ts|errors\.ts)$/;
const CHOICES = [
  'schemas/table-formats.ts',
  'tiers/producers.ts',
  'training/tune/sampler-names.ts',
  'training/export-formats.ts',
];

describe('aml-miner start-up', () => {
  for (const args of [['--version'], ['--help'], ['gbdt', 'predict', '--help'], ['train', '--help']]) {
    it(`${args.join(' ')} loads only the command declarations`, async () => {
      const r = await loaded(args);
      expect(r.code).toBe(0);
      // the declarations are all there (the help lists every command) ...
      expect(r.src).toContain('cli/commands/serve.ts');
      expect(r.src).toContain('cli/commands/gbdt-predict.ts');
      // ... and nothing behind them
      expect(r.src.filter((p) => !DECLARATIONS.test(p) && !CHOICES.includes(p))).toEqual([]);
      expect(r.src.filter((p) => p.endsWith('-action.ts'))).toEqual([]);
      expect(r.packages).toEqual(['commander']);
    });
  }

  it('gbdt predict on a CSV with a text model loads the predictor and nothing it does not use', async () => {
    const fixtures = join(PACKAGE_DIR, 'src/gbdt/fixtures');
    const out = join(dir, 'p.txt');
    const r = await loaded([
      'gbdt',
      'predict',
      '--model',
      join(fixtures, 'binary_model.txt'),
      '--data',
      join(fixtures, 'binary_test.csv'),
      '--label-column',
      'label',
      '--out',
      out,
    ]);
    // it did predict: LightGBM's own probabilities for that file (the sigmoid may differ in the last bit)
    const ours = (await readFile(out, 'utf8')).trim().split('\n').map(Number);
    const theirs = (await readFile(join(fixtures, 'binary_pred.txt'), 'utf8')).trim().split('\n').map(Number);
    expect(ours).toHaveLength(theirs.length);
    for (let i = 0; i < ours.length; i++)
      expect(Math.abs((ours[i] as number) - (theirs[i] as number))).toBeLessThan(1e-15);
    expect(r.code).toBe(0);
    expect(r.src).toContain('cli/commands/gbdt-predict-action.ts');
    expect(r.src).toContain('gbdt/predict/predict.ts');
    const unused = r.src.filter(
      (p) =>
        !CHOICES.includes(p) &&
        /^(gbdt\/(onnx|shap|boosting|dataset|treelearner)|training|api|models|synthetic|tiers)\//.test(p),
    );
    expect(unused).toEqual([]);
    expect(r.src.filter((p) => p.endsWith('-action.ts'))).toEqual(['cli/commands/gbdt-predict-action.ts']);
    expect(r.packages).toEqual(['commander']);
  });

  it('gbdt train with usual parameters loads no zod', async () => {
    const out = join(dir, 'm.txt');
    const r = await loaded([
      'gbdt',
      'train',
      '--data',
      join(PACKAGE_DIR, 'src/gbdt/fixtures/binary_test.csv'),
      '--label-column',
      'label',
      '--output',
      out,
      '--quiet',
      '--objective',
      'binary',
      '--num_iterations',
      '3',
      '--min_data_in_leaf',
      '5',
      '--metric',
      'auc',
    ]);
    expect(r.code).toBe(0);
    expect(await readFile(out, 'utf8')).toContain('Tree=0');
    expect(r.src).toContain('gbdt/params-fast.ts');
    expect(r.packages).toEqual(['commander']);
  });
});
