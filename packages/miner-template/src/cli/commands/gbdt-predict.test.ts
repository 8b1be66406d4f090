import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAmlError } from '../../errors.js';
import { parseCsvTable } from '../../gbdt/io/table-reader.js';
import { registerGbdtPredictCommands } from './gbdt-predict.js';

const fixturePath = (name: string) => fileURLToPath(new URL(`../../gbdt/fixtures/${name}`, import.meta.url));
let dir: string;

async function run(args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  registerGbdtPredictCommands(program);
  await program.parseAsync(['node', 'x', ...args]);
}

const lines = async (path: string) => (await readFile(path, 'utf8')).trimEnd().split('\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gbdt-predict-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('aml-miner gbdt predict', () => {
  it('writes the same raw-score text as LightGBM task=predict (lambdarank, qid skipped)', async () => {
    const out = join(dir, 'rank_raw.txt');
    await run([
      'predict',
      '--model',
      fixturePath('lambdarank_model.txt'),
      '--data',
      fixturePath('lambdarank_test.csv'),
      '--label-column',
      'label',
      '--group-column',
      'qid',
      '--raw',
      '--out',
      out,
    ]);
    expect(await lines(out)).toEqual(await lines(fixturePath('lambdarank_pred_raw.txt')));
  });

  it('binary probabilities match LightGBM, from CSV and from Parquet', async () => {
    const expected = (await lines(fixturePath('binary_pred.txt'))).map(Number);
    const csvOut = join(dir, 'bin.txt');
    await run([
      'predict',
      '--model',
      fixturePath('binary_model.txt'),
      '--data',
      fixturePath('binary_test.csv'),
      '--out',
      csvOut,
    ]);
    const fromCsv = (await lines(csvOut)).map(Number);
    expect(fromCsv).toHaveLength(expected.length);
    for (let i = 0; i < fromCsv.length; i++) {
      expect(Math.abs((fromCsv[i] as number) - (expected[i] as number))).toBeLessThan(1e-15);
    }

    const table = parseCsvTable(await readFile(fixturePath('binary_test.csv'), 'utf8'));
    const parquet = parquetWriteBuffer({
      columnData: table.columnNames.map((name, c) => ({
        name,
        data: Array.from(table.columns[c] as Float64Array),
        type: 'DOUBLE' as const,
      })),
    });
    const parquetPath = join(dir, 'bin.parquet');
    await writeFile(parquetPath, new Uint8Array(parquet));
    const pqOut = join(dir, 'bin_pq.txt');
    await run(['predict', '--model', fixturePath('binary_model.txt'), '--data', parquetPath, '--out', pqOut]);
    expect(await lines(pqOut)).toEqual(await lines(csvOut));
  });

  it('export-onnx then predict with the .onnx model agrees with the text model', async () => {
    // float32 export is exact for float32 inputs: score a copy of the data rounded to float32
    const table = parseCsvTable(await readFile(fixturePath('regression_test.csv'), 'utf8'));
    const rounded = [table.columnNames.join(',')];
    for (let r = 0; r < table.numRows; r++) {
      rounded.push(
        table.columns
          .map((col) => (Number.isNaN(col[r]) ? '' : String(Math.fround(col[r] as number))))
          .join(','),
      );
    }
    const f32Csv = join(dir, 'reg_f32.csv');
    await writeFile(f32Csv, `${rounded.join('\n')}\n`);
    const textOut = join(dir, 'reg_text_f32.txt');
    await run([
      'predict',
      '--model',
      fixturePath('regression_model.txt'),
      '--data',
      f32Csv,
      '--out',
      textOut,
    ]);
    const cases = [
      { precision: 'float', data: f32Csv, want: textOut },
      {
        precision: 'double',
        data: fixturePath('regression_test.csv'),
        want: fixturePath('regression_pred.txt'),
      },
    ];
    for (const { precision, data, want } of cases) {
      const onnx = join(dir, `reg_${precision}.onnx`);
      await run([
        'export-onnx',
        '--model',
        fixturePath('regression_model.txt'),
        '--out',
        onnx,
        '--model-version',
        '1.0.0',
        '--precision',
        precision,
      ]);
      const out = join(dir, `reg_${precision}.txt`);
      await run(['predict', '--model', onnx, '--data', data, '--label-column', 'label', '--out', out]);
      const got = (await lines(out)).map(Number);
      const expected = (await lines(want)).map(Number);
      expect(got).toHaveLength(expected.length);
      for (let i = 0; i < got.length; i++) {
        const wanted = expected[i] as number;
        expect(Math.abs((got[i] as number) - wanted), `${precision} row ${i}`).toBeLessThan(
          1e-6 * Math.max(1, Math.abs(wanted)),
        );
      }
    }
  });

  for (const name of ['binary', 'regression', 'lambdarank', 'rf_binary']) {
    it(`--contrib writes LightGBM's predict_contrib layout and values (${name})`, async () => {
      const data = name === 'rf_binary' ? 'binary' : name;
      const out = join(dir, `${name}_contrib.txt`);
      await run([
        'predict',
        '--model',
        fixturePath(`${name}_model.txt`),
        '--data',
        fixturePath(`${data}_test.csv`),
        '--label-column',
        'label',
        ...(name === 'lambdarank' ? ['--group-column', 'qid'] : []),
        '--contrib',
        '--out',
        out,
      ]);
      const got = (await lines(out)).map((l) => l.split('\t').map(Number));
      const want = (await lines(fixturePath(`${name}_pred_contrib.txt`))).map((l) =>
        l.split('\t').map(Number),
      );
      const raw = (await lines(fixturePath(`${name}_pred_raw.txt`))).map(Number);
      expect(got).toHaveLength(want.length);
      for (let r = 0; r < want.length; r++) {
        const g = got[r] as number[];
        const w = want[r] as number[];
        expect(g, `row ${r} width`).toHaveLength(w.length);
        for (let j = 0; j < w.length; j++) {
          expect(Math.abs((g[j] as number) - (w[j] as number)), `row ${r} col ${j}`).toBeLessThan(1e-9);
        }
        // the columns add up to LightGBM's own raw score for the row
        const sum = g.reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - (raw[r] as number))).toBeLessThan(
          1e-9 * Math.max(1, Math.abs(raw[r] as number)),
        );
      }
    });
  }

  it('--contrib refuses ONNX models and --raw with a config error', async () => {
    for (const extra of [['--raw'], []]) {
      const model = extra.length > 0 ? fixturePath('binary_model.txt') : join(dir, 'm.onnx');
      const err = await run([
        'predict',
        '--model',
        model,
        '--data',
        fixturePath('binary_test.csv'),
        '--contrib',
        ...extra,
        '--out',
        join(dir, 'c.txt'),
      ]).catch((e) => e);
      expect(isAmlError(err) && err.code).toBe('AML_ERR_CONFIG_INVALID');
      expect((err as Error).message).toContain('--contrib');
    }
  });

  it('names the features the data lacks', async () => {
    const csv = join(dir, 'partial.csv');
    await writeFile(csv, 'amount_usd,degree\n1,2\n');
    await copyFile(fixturePath('binary_model.txt'), join(dir, 'm.txt'));
    const err = await run([
      'predict',
      '--model',
      join(dir, 'm.txt'),
      '--data',
      csv,
      '--out',
      join(dir, 'x.txt'),
    ]).catch((e) => e);
    expect(isAmlError(err) && err.code).toBe('AML_ERR_MODEL_FEATURE_MISMATCH');
    expect((err as Error).message).toContain('ratio');
  });
});
