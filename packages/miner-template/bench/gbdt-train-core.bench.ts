/**
 * The training core in-process (no CLI start-up, no CSV): the data of gbdt-cli-vs-lightgbm.bench.ts
 * generated in memory, train() timed by CPU (user + sys) and peak RSS, and a hash of the model's
 * Tree= blocks so speed work can show its trees did not change.
 *
 *   node --import tsx bench/gbdt-train-core.bench.ts [rows x features x trees, ...] [repeats]
 *   e.g. node --import tsx bench/gbdt-train-core.bench.ts 20000x30x200,200000x60x100 2
 */
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { train } from '../src/gbdt/boosting/gbdt.js';
import { Random } from '../src/gbdt/boosting/random.js';
import type { TrainData } from '../src/gbdt/dataset/train-data.js';
import { writeModelText } from '../src/gbdt/text/model-writer.js';

/**
 * Same rows as gbdt-cli-vs-lightgbm.bench.ts's writeData (its CSV round-trips these doubles), one
 * Float64Array per column as the CLI's table reader hands them to train().
 */
function cliBenchData(n: number, d: number, seed: number): TrainData {
  const rng = new Random(seed);
  const columns = Array.from({ length: d }, () => new Float64Array(n));
  const label = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let f = 0; f < d; f++) {
      const v = rng.next() * 2 - 1;
      (columns[f] as Float64Array)[i] = f < 2 && rng.next() < 0.05 ? Number.NaN : v;
      if (f < 8) z += (f % 2 === 0 ? 1 : -0.5) * v;
    }
    z += (columns[8]?.[i] as number) * (columns[9]?.[i] as number) * 2;
    label[i] = rng.next() < 1 / (1 + Math.exp(-2 * z)) ? 1 : 0;
  }
  return { columns, numRows: n, featureNames: Array.from({ length: d }, (_, f) => `f${f}`), label };
}

const tasks = (process.argv[2] ?? '20000x30x200,200000x60x100')
  .split(',')
  .map((t) => t.split('x').map(Number));
const repeats = Number(process.argv[3] ?? 1);
for (const [n = 0, d = 0, trees = 0] of tasks) {
  const data = cliBenchData(n, d, n);
  for (let r = 0; r < repeats; r++) {
    const cpuStart = process.cpuUsage();
    const { model } = train(data, {
      objective: 'binary',
      num_iterations: trees,
      num_leaves: 31,
      learning_rate: 0.1,
      seed: 1,
    });
    const cpu = process.cpuUsage(cpuStart);
    const text = writeModelText(model);
    const hash = createHash('sha256')
      .update(text.slice(text.indexOf('Tree=0'), text.indexOf('end of trees')))
      .digest('hex')
      .slice(0, 12);
    const seconds = (cpu.user + cpu.system) / 1e6;
    process.stdout.write(
      `${n}x${d}x${trees}: CPU ${seconds.toFixed(2)} s (${((seconds * 1e6) / n).toFixed(1)} µs/row), ` +
        `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, trees ${hash}, load ${loadavg()[0].toFixed(1)}\n`,
    );
  }
}
