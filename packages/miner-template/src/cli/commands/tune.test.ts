import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { writeBatchFolder } from '../../data/batch-folder.js';
import { isAmlError } from '../../errors.js';
import { generateBatch } from '../../synthetic/generate.js';
import { defaultSearchSpace } from '../../training/tune/space.js';
import type { Progress } from '../progress.js';
import { runCli } from '../run.js';
import { registerTrainCommand } from './train.js';
import { registerTuneCommand } from './tune.js';
import { runTune, type TuneFlags } from './tune-action.js';

const silent: Progress = { update: () => {}, log: () => {}, done: () => {} };

/** Runs the CLI, capturing stderr; restores the process state afterwards. */
async function cli(
  register: (p: Command) => void,
  args: string[],
): Promise<{ code: number; stderr: string }> {
  const program = new Command('aml-miner');
  register(program);
  const writes: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    writes.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  const previous = process.exitCode;
  process.exitCode = 0;
  try {
    await runCli(program, ['node', 'aml-miner', ...args]);
    return { code: Number(process.exitCode ?? 0), stderr: writes.join('') };
  } finally {
    process.stderr.write = original;
    process.exitCode = previous;
  }
}

/** Minimal CSV reader for the table we write (quoted cells may hold commas). */
function readCsv(text: string): Record<string, string>[] {
  const lines = text.trim().split('\n');
  const split = (line: string) =>
    line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.map((c) => c.replace(/,$/, '')) ?? [];
  const header = split(lines[0]).filter((_, i, a) => i < a.length - 1 || a[i] !== '');
  return lines.slice(1).map((line) => {
    const cells = split(line);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

describe('aml-miner tune', () => {
  let dir: string;
  let flags: TuneFlags;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aml-tune-'));
    const { batch, labels } = generateBatch({ date: '2026-01-01', alerts: 300, seed: 3 });
    await writeBatchFolder(join(dir, 'data'), batch, { format: 'json', labels, createdBy: 'tune.test' });
    flags = {
      dataDir: join(dir, 'data'),
      network: 'torus',
      windowDays: '7',
      trials: '3',
      folds: '2',
      sampler: 'tpe',
      nStartup: '2',
      seed: '7',
      out: join(dir, 'out', 'best_params.yaml'),
      trialsOut: join(dir, 'out', 'trials.csv'),
      quiet: true,
    };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes best params YAML and a trials CSV that agree, and train --params-file uses them', async () => {
    const lines: string[] = [];
    const summary = await runTune('scorer', flags, { ...silent, log: (l) => lines.push(l) });
    expect(summary).toMatch(/^best average_precision=0\.\d{4}±/);
    expect(lines.filter((l) => /^trial \d\/3 \[(random|tpe)\] average_precision=/.test(l))).toHaveLength(3);

    const doc = parse(await readFile(flags.out, 'utf8'));
    expect(doc.model).toBe('alert_scorer');
    expect(doc.metric).toBe('average_precision');
    expect(doc.seed).toBe(7);
    expect(doc.trials_run).toBe(3);
    expect(doc.cv.folds).toBe(2);
    expect(doc.cv.per_fold).toHaveLength(2);
    expect(doc.cv.mean).toBeGreaterThan(0);
    expect(doc.cv.mean).toBeLessThanOrEqual(1);
    // mean of the per-fold scores, and sample std of two values is |a - b| / sqrt(2)
    const [a, b] = doc.cv.per_fold as number[];
    expect(doc.cv.mean).toBeCloseTo((a + b) / 2, 5);
    expect(doc.cv.std).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 5);
    expect(doc.data.batches).toEqual(['torus/2026-01-01/7']);
    expect(doc.data.num_samples + doc.data.held_out_samples).toBe(300);
    const spaceNames = defaultSearchSpace('alert_scorer').map((p) => p.name);
    for (const name of spaceNames) expect(doc.params).toHaveProperty(name);

    const rows = readCsv(await readFile(flags.trialsOut, 'utf8'));
    expect(rows.map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(rows.map((r) => r.sampler)).toEqual(['random', 'random', 'tpe']);
    for (const name of [...spaceNames, 'metric', 'mean', 'std', 'seconds'])
      expect(rows[0]).toHaveProperty(name);
    const means = rows.map((r) => Number(r.mean));
    const bestRow = rows[means.indexOf(Math.max(...means))];
    expect(Number(bestRow.id)).toBe(doc.best_trial);
    expect(Number(bestRow.mean)).toBeCloseTo(doc.cv.mean, 5);
    expect(Number(bestRow.learning_rate)).toBe(doc.params.learning_rate);

    // Same seed, same trials (the seconds column aside).
    const again = { ...flags, out: join(dir, 'again.yaml'), trialsOut: join(dir, 'again.csv') };
    await runTune('scorer', again, silent);
    const rows2 = readCsv(await readFile(again.trialsOut, 'utf8'));
    const strip = (rs: Record<string, string>[]) => rs.map(({ seconds: _, ...rest }) => rest);
    expect(strip(rows2)).toEqual(strip(rows));

    const models = join(dir, 'models');
    const trained = await cli(registerTrainCommand, [
      'train',
      'scorer',
      '--data-dir',
      flags.dataDir,
      '--output-dir',
      models,
      '--params-file',
      flags.out,
      '--param',
      'eta=0.2',
      '--quiet',
    ]);
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    const metadata = JSON.parse(await readFile(join(models, 'model_metadata.json'), 'utf8'));
    const hp = metadata.alert_scorer.hyperparameters;
    expect(hp.learning_rate).toBe('0.2'); // the explicit --param wins (CLI values are strings)
    expect(hp.num_leaves).toBe(doc.params.num_leaves);
    expect(hp.max_depth).toBe(doc.params.max_depth);
    expect(hp.feature_fraction).toBe(doc.params.feature_fraction);
  });

  it('refuses a params file tuned for another model and one naming an unknown parameter', async () => {
    const rankerFile = join(dir, 'ranker.yaml');
    await writeFile(rankerFile, 'model: alert_ranker\nparams:\n  num_leaves: 15\n');
    const common = ['--data-dir', flags.dataDir, '--output-dir', join(dir, 'm2'), '--quiet'];
    const wrong = await cli(registerTrainCommand, [
      'train',
      'scorer',
      '--params-file',
      rankerFile,
      ...common,
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^error \[AML_ERR_CONFIG_INVALID\]: .*tuned for alert_ranker/);
    const badFile = join(dir, 'bad.yaml');
    await writeFile(badFile, 'num_leafs: 15\n');
    const bad = await cli(registerTrainCommand, ['train', 'scorer', '--params-file', badFile, ...common]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error \[AML_ERR_GBDT_PARAM\]: .*num_leafs/);
  });

  it('rejects bad flags with readable errors naming the flag', async () => {
    const cases: [string, Partial<TuneFlags>, RegExp][] = [
      ['tree', {}, /unknown model "tree"/],
      ['scorer', { sampler: 'grid' }, /--sampler/],
      ['scorer', { trials: '0' }, /--trials/],
      ['scorer', { folds: '1' }, /--folds/],
      ['scorer', { timeBudgetS: 'soon' }, /--time-budget-s/],
      ['scorer', { space: join(dir, 'missing.yaml') }, /missing\.yaml/],
    ];
    for (const [model, patch, message] of cases) {
      const err = await runTune(model, { ...flags, ...patch }, silent).catch((e: unknown) => e);
      expect(isAmlError(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
    const viaCli = await cli(registerTuneCommand, ['tune', 'scorer', '--sampler', 'grid', '--quiet']);
    expect(viaCli.code).toBe(2);
    expect(viaCli.stderr).toMatch(/^error \[AML_ERR_CONFIG_INVALID\]: .*--sampler/);
  });
});
