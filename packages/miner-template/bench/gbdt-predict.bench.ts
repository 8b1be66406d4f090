/**
 * Inference speed of the GBDT model half: our predictor vs onnxruntime-node (float32 and double
 * exports) on the same 100-tree, 31-leaf, 40-feature ensemble and rows (5% NaN), and exact
 * TreeSHAP. The ensemble is random but valid (test-models.ts), so the bench does not depend on
 * the trainer. Prints a markdown table of rows/s.
 * Run: node --import tsx bench/gbdt-predict.bench.ts [rows]
 */
import * as ort from 'onnxruntime-node';
import { exportOnnx } from '../src/gbdt/onnx/index.js';
import { predictBatch, predictRawBatch } from '../src/gbdt/predict/index.js';
import { randomModel, rng } from '../src/gbdt/predict/test-models.test-support.js';
import { explainBatch } from '../src/gbdt/shap/index.js';

const FEATURES = 40;
const numRows = Number(process.argv[2] ?? 100_000);
const model = randomModel(2026, 100, 31, FEATURES, 'binary');
const random = rng(9);
const rows32 = new Float32Array(numRows * FEATURES);
for (let i = 0; i < rows32.length; i++) rows32[i] = random() < 0.05 ? Number.NaN : random() * 2.4 - 1.2;
const rows64 = Float64Array.from(rows32);

function time(label: string, rowsDone: number, fn: () => void, repeat = 3): string {
  fn(); // warm-up
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return `| ${label} | ${rowsDone.toLocaleString('en-US')} | ${(best * 1000).toFixed(1)} | ${Math.round(rowsDone / best).toLocaleString('en-US')} |`;
}

async function timeAsync(
  label: string,
  rowsDone: number,
  fn: () => Promise<unknown>,
  repeat = 3,
): Promise<string> {
  await fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return `| ${label} | ${rowsDone.toLocaleString('en-US')} | ${(best * 1000).toFixed(1)} | ${Math.round(rowsDone / best).toLocaleString('en-US')} |`;
}

const out: string[] = ['| what | rows | best ms | rows/s |', '| --- | ---: | ---: | ---: |'];
const raw = new Float64Array(numRows);
out.push(
  time('ours predictRawBatch (float64 rows)', numRows, () => predictRawBatch(model, rows64, numRows, raw)),
);
out.push(
  time('ours predictRawBatch (float32 rows)', numRows, () => predictRawBatch(model, rows32, numRows, raw)),
);
out.push(time('ours predictBatch (probabilities)', numRows, () => predictBatch(model, rows32, numRows, raw)));

ort.env.logLevel = 'error';
for (const precision of ['float', 'double'] as const) {
  const session = await ort.InferenceSession.create(exportOnnx(model, { precision }), {
    intraOpNumThreads: 1,
  });
  const input =
    precision === 'double'
      ? new ort.Tensor('float64', rows64, [numRows, FEATURES])
      : new ort.Tensor('float32', rows32, [numRows, FEATURES]);
  out.push(
    await timeAsync(`onnxruntime-node ${precision} export, 1 thread`, numRows, () => session.run({ input })),
  );
  const small =
    precision === 'double'
      ? new ort.Tensor('float64', rows64.subarray(0, 100 * FEATURES), [100, FEATURES])
      : new ort.Tensor('float32', rows32.subarray(0, 100 * FEATURES), [100, FEATURES]);
  out.push(
    await timeAsync(`onnxruntime-node ${precision}, 100 batches of 100 rows`, 10_000, async () => {
      for (let b = 0; b < 100; b++) await session.run({ input: small });
    }),
  );
}
const smallOut = new Float64Array(100);
out.push(
  time('ours predictBatch, 100 batches of 100 rows', 10_000, () => {
    for (let b = 0; b < 100; b++) predictBatch(model, rows32.subarray(0, 100 * FEATURES), 100, smallOut);
  }),
);

const shapRows = Math.min(numRows, 10_000);
const contrib = new Float64Array(shapRows * FEATURES);
out.push(
  time('ours TreeSHAP explainBatch', shapRows, () => explainBatch(model, rows64, shapRows, contrib), 2),
);

process.stdout.write(
  `100 trees × 31 leaves, ${FEATURES} features, node ${process.version}\n\n${out.join('\n')}\n`,
);
