/**
 * `aml-miner gbdt predict` streams its input (issue 15): a CSV is scored a chunk of rows at a
 * time and a Parquet file a row group at a time. Over the real CLI, on files larger than a chunk,
 * the output equals the whole table scored at once (the predictor's own answer for the same
 * rows), rows cut across chunks and row groups included; and a bad row half-way through leaves
 * no partial predictions file behind. `gbdt train` reads a Parquet file row group by row group into
 * the same table as its CSV.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../src/gbdt/boosting/random.js';
import { parseCsvTable, toFeatureMatrix } from '../src/gbdt/io/table-reader.js';
import { predictBatch } from '../src/gbdt/predict/index.js';
import { readModelText } from '../src/gbdt/text/index.js';
import { formatDouble17 } from '../src/gbdt/text/number-format.js';
import { PACKAGE_DIR, runCli } from './cli-process.js';

const MODEL = join(PACKAGE_DIR, 'src/gbdt/fixtures/binary_model.txt');
/** More rows than one CSV chunk (8192), and not a multiple of it. */
const ROWS = 20_011;

let dir: string;
let csv: string;
let names: string[];
let expected: string;
let parquet: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aml-gbdt-stream-'));
  const model = readModelText(await readFile(MODEL, 'utf8'));
  names = model.featureNames;
  const rng = new Random(15);
  const lines = [['label', ...names].join(',')];
  for (let r = 0; r < ROWS; r++) {
    const cells = names.map(() => (rng.next() < 0.05 ? 'nan' : String((rng.next() - 0.3) * 100)));
    lines.push([r % 2, ...cells].join(','));
  }
  const text = `${lines.join('\n')}\n`;
  csv = join(dir, 'rows.csv');
  await writeFile(csv, text);
  const table = parseCsvTable(text);
  const scores = predictBatch(
    model,
    toFeatureMatrix(table, names, { skipColumns: ['label'] }),
    table.numRows,
  );
  expected = Array.from(scores, (s) => `${formatDouble17(s)}\n`).join('');
  // the same rows as Parquet, in row groups of 3000 rows
  parquet = join(dir, 'rows.parquet');
  const bytes = parquetWriteBuffer({
    columnData: table.columnNames.map((name, c) => ({
      name,
      data: Array.from(table.columns[c] as Float64Array),
      type: 'DOUBLE' as const,
    })),
    rowGroupSize: 3000,
  });
  await writeFile(parquet, new Uint8Array(bytes));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The CLI's predictions for `data` with the fixture model, written to `out`. */
const predict = (data: string, out: string) =>
  runCli(['gbdt', 'predict', '--model', MODEL, '--data', data, '--label-column', 'label', '--out', out]);

describe('aml-miner gbdt predict, streamed', () => {
  it('scores a CSV of several chunks exactly as the whole table at once', async () => {
    const out = join(dir, 'csv.txt');
    const r = await predict(csv, out);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(await readFile(out, 'utf8')).toBe(expected);
  });

  it('scores a Parquet file row group by row group exactly as the whole table at once', async () => {
    const out = join(dir, 'parquet.txt');
    const r = await predict(parquet, out);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(await readFile(out, 'utf8')).toBe(expected);
  });

  it('gbdt train reads a Parquet file of several row groups as the same table as its CSV', async () => {
    const train = (data: string, output: string) =>
      runCli([
        'gbdt',
        'train',
        '--data',
        data,
        '--label-column',
        'label',
        '--objective',
        'binary',
        '--num_iterations',
        '5',
        '--output',
        output,
        '--quiet',
      ]);
    const fromCsv = join(dir, 'csv-model.txt');
    const fromParquet = join(dir, 'parquet-model.txt');
    expect(await train(csv, fromCsv)).toMatchObject({ code: 0 });
    expect(await train(parquet, fromParquet)).toMatchObject({ code: 0 });
    const text = await readFile(fromCsv, 'utf8');
    expect(text).toContain('Tree=4');
    expect(await readFile(fromParquet, 'utf8')).toBe(text);
  });

  it('a bad row after the first chunks fails with its row number and leaves no predictions file', async () => {
    const text = await readFile(csv, 'utf8');
    const lines = text.split('\n');
    lines[15_000] = lines[15_000]?.split(',').slice(1).join(',') ?? '';
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, lines.join('\n'));
    const out = join(dir, 'bad.txt');
    const r = await predict(bad, out);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error [AML_ERR_IO_FORMAT]: cannot read ${bad}: row 15001: expected ${names.length + 1} fields, got ${names.length}\n`,
    );
    expect(existsSync(out)).toBe(false);
  });
});
