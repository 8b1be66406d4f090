/**
 * `aml-miner gbdt export-onnx` on a LightGBM model with categorical splits, then `gbdt predict`
 * with the .onnx file, over the real CLI: the scores equal the text model's (issue 15; before,
 * export refused such models).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_DIR, runCli } from './cli-process.js';

const PARITY = join(PACKAGE_DIR, 'src/gbdt/fixtures/parity');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aml-onnx-cat-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const numbers = async (path: string) => (await readFile(path, 'utf8')).trim().split('\n').map(Number);

describe('aml-miner gbdt export-onnx with categorical splits', () => {
  for (const name of ['cat_binary', 'cat_regression']) {
    it(`${name}: the exported model predicts what the text model predicts`, async () => {
      const model = join(PARITY, `${name}_model.txt`);
      const onnx = join(dir, `${name}.onnx`);
      const data = join(PARITY, `${name}_test.csv`);
      expect(
        await runCli(['gbdt', 'export-onnx', '--model', model, '--out', onnx, '--precision', 'double']),
      ).toMatchObject({ code: 0, stderr: '' });
      const fromText = join(dir, `${name}-text.txt`);
      const fromOnnx = join(dir, `${name}-onnx.txt`);
      for (const [m, out] of [
        [model, fromText],
        [onnx, fromOnnx],
      ] as const)
        expect(
          await runCli([
            'gbdt',
            'predict',
            '--model',
            m,
            '--data',
            data,
            '--label-column',
            'label',
            '--out',
            out,
          ]),
        ).toMatchObject({ code: 0, stderr: '' });
      const want = await numbers(fromText);
      const got = await numbers(fromOnnx);
      expect(got).toHaveLength(want.length);
      // onnxruntime's outputs are float32
      for (let r = 0; r < want.length; r++)
        expect(Math.abs((got[r] as number) - (want[r] as number)), `row ${r}`).toBeLessThan(
          1e-6 * Math.max(1, Math.abs(want[r] as number)),
        );
    });
  }
});
