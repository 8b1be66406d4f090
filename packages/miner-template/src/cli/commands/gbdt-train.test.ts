import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../gbdt/boosting/random.js';
import { readModelText } from '../../gbdt/text/index.js';
import { registerGbdtTrainCommand } from './gbdt-train.js';
import { parseExtraParams } from './gbdt-train-action.js';

let dir: string;

/** A binary problem: label = a + (b > 0.5) noise; b has missing cells. */
function rows(n: number, seed: number): { a: number[]; b: number[]; y: number[] } {
  const rng = new Random(seed);
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    a.push(rng.next());
    b.push(rng.next() < 0.1 ? Number.NaN : rng.next());
    y.push(a[i] + (b[i] > 0.5 ? 0.5 : 0) + 0.2 * rng.next() > 0.9 ? 1 : 0);
  }
  return { a, b, y };
}

function csv(n: number, seed: number): string {
  const { a, b, y } = rows(n, seed);
  const lines = ['a,b,label'];
  for (let i = 0; i < n; i++) lines.push(`${a[i]},${Number.isNaN(b[i]) ? '' : b[i]},${y[i]}`);
  return `${lines.join('\n')}\n`;
}

async function runTrain(args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  registerGbdtTrainCommand(program);
  await program.parseAsync(['node', 'x', 'train', ...args]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gbdt-train-'));
  await writeFile(join(dir, 'train.csv'), csv(600, 1));
  await writeFile(join(dir, 'valid.csv'), csv(300, 2));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseExtraParams', () => {
  it('pairs --name value and --name=value, negative numbers included', () => {
    expect(parseExtraParams(['--num-trees', '5', '--max_depth', '-1', '--eta=0.3'])).toEqual({
      'num-trees': '5',
      max_depth: '-1',
      eta: '0.3',
    });
    expect(() => parseExtraParams(['--num-trees'])).toThrow(/missing value/);
  });
});

describe('aml-miner gbdt train', () => {
  it('trains from CSV with LightGBM parameters and writes a readable model', async () => {
    const output = join(dir, 'model.txt');
    await runTrain([
      '--data',
      join(dir, 'train.csv'),
      '--label-column',
      'label',
      '--objective',
      'binary',
      '--num-trees',
      '7',
      '--num_leaves',
      '4',
      '--min-data-in-leaf',
      '5',
      '--output',
      output,
      '--quiet',
    ]);
    const model = readModelText(await readFile(output, 'utf8'));
    expect(model.trees).toHaveLength(7);
    expect(model.featureNames).toEqual(['a', 'b']);
    expect(model.objectiveLine).toBe('binary sigmoid:1');
    expect(model.trees[0].numLeaves).toBe(4);
  });

  it('stops early on a validation set and reads Parquet', async () => {
    const { a, b, y } = rows(600, 3);
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'a', data: a, type: 'DOUBLE' },
        { name: 'b', data: b, type: 'DOUBLE' },
        { name: 'label', data: y, type: 'DOUBLE' },
      ],
    });
    await writeFile(join(dir, 'train.parquet'), new Uint8Array(bytes));
    const output = join(dir, 'model-es.txt');
    await runTrain([
      '--data',
      join(dir, 'train.parquet'),
      '--valid',
      join(dir, 'valid.csv'),
      '--label-column',
      'label',
      '--objective',
      'binary',
      '--num-trees',
      '300',
      '--learning-rate',
      '0.5',
      '--early-stopping-round',
      '3',
      '--output',
      output,
      '--quiet',
    ]);
    const model = readModelText(await readFile(output, 'utf8'));
    expect(model.trees.length).toBeGreaterThan(0);
    expect(model.trees.length).toBeLessThan(300);
  });

  it("trains LightGBM 4.6.0's categorical, monotone and smoothed trees from the command line", async () => {
    // the parity fixture cat_regression_monotone, through the CLI's --name value parameters
    const fixtures = new URL('../../gbdt/fixtures/parity/', import.meta.url);
    const output = join(dir, 'model-cat.txt');
    await runTrain([
      '--data',
      fileURLToPath(new URL('cat_regression.csv', fixtures)),
      '--label-column',
      'label',
      '--objective',
      'regression',
      '--categorical-feature',
      '1,2,3,5',
      '--monotone-constraints',
      '1,0,0,0,-1,0',
      '--path-smooth',
      '2',
      '--num-iterations',
      '5',
      '--seed',
      '7',
      '--output',
      output,
      '--quiet',
    ]);
    const ours = await readFile(output, 'utf8');
    const theirs = await readFile(new URL('cat_regression_monotone_model.txt', fixtures), 'utf8');
    const trees = (t: string) => t.slice(t.indexOf('Tree=0'), t.indexOf('end of trees'));
    expect(trees(ours)).toBe(trees(theirs));
  });

  it('refuses an unknown parameter by name', async () => {
    await expect(
      runTrain([
        '--data',
        join(dir, 'train.csv'),
        '--label-column',
        'label',
        '--output',
        join(dir, 'x.txt'),
        '--no-such-param',
        '1',
      ]),
    ).rejects.toThrow(/no-such-param/);
  });
});
