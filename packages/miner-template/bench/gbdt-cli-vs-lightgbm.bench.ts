/**
 * `aml-miner gbdt train|predict` against LightGBM's own CLI, end to end on the same CSV files
 * (loading included on both sides), interleaved: each round runs ours, LightGBM with 1 thread and
 * LightGBM with 2 threads back to back, so all three see the same machine load. CPU time (user +
 * sys) and peak memory come from /usr/bin/time; ratios are per round, the table gives the median.
 * LightGBM runs with OMP_WAIT_POLICY=PASSIVE (no spinning threads on a shared machine). Also
 * checks that our trees equal LightGBM's 1-thread trees (the model text's Tree= blocks).
 *
 *   npx tsc -p tsconfig.build.json   # the bench runs the built CLI, as users do
 *   LIGHTGBM_BIN=/path/to/lightgbm node --import tsx bench/gbdt-cli-vs-lightgbm.bench.ts [rounds]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/gbdt/boosting/random.js';

const bin = process.env.LIGHTGBM_BIN;
if (!bin) {
  process.stdout.write(
    'LIGHTGBM_BIN is not set: build LightGBM 4.x outside the repository and point at it.\n',
  );
  process.exit(0);
}
const rounds = Number(process.argv[2] ?? 2);
const cli = fileURLToPath(new URL('../bin/aml-miner.js', import.meta.url));

/**
 * The synthetic binary problem of gbdt-vs-lightgbm.bench.ts, written with a header row and `nan`
 * for missing cells (LightGBM's exact parser, precise_float_parser=true, refuses empty cells; its
 * default fast parser is off in the last bit for some values, which moves a few bin bounds).
 */
function writeData(path: string, n: number, d: number, seed: number): void {
  const rng = new Random(seed);
  const lines = [['label', ...Array.from({ length: d }, (_, f) => `f${f}`)].join(',')];
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let f = 0; f < d; f++) {
      const v = rng.next() * 2 - 1;
      row[f] = f < 2 && rng.next() < 0.05 ? Number.NaN : v;
      if (f < 8) z += (f % 2 === 0 ? 1 : -0.5) * v;
    }
    z += (row[8] as number) * (row[9] as number) * 2;
    const y = rng.next() < 1 / (1 + Math.exp(-2 * z)) ? 1 : 0;
    lines.push([y, ...Array.from(row, (x) => (Number.isNaN(x) ? 'nan' : String(x)))].join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

interface Run {
  cpu: number;
  wall: number;
  rssMb: number;
}

function timed(cmd: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '@@%e %U %S %M', cmd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 26,
  });
  const m = /@@([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || m === null) throw new Error(`${cmd} failed: ${r.stderr.slice(-400)}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;
const treeBlocks = (text: string) => text.slice(text.indexOf('Tree=0'), text.indexOf('end of trees'));

const dir = mkdtempSync(join(tmpdir(), 'gbdt-cli-vs-lgb-'));
const out: string[] = [];
// start-up: the CLI doing nothing against node doing nothing, interleaved
const startup: Record<string, number[]> = { cli: [], node: [], cliMb: [], nodeMb: [] };
for (let round = 0; round < Math.max(3, rounds); round++) {
  const c = timed(cli, ['--version']);
  const b = timed(process.execPath, ['-e', '']);
  startup.cli?.push(c.cpu);
  startup.node?.push(b.cpu);
  startup.cliMb?.push(c.rssMb);
  startup.nodeMb?.push(b.rssMb);
}
try {
  for (const { n, d, trees } of [
    { n: 20_000, d: 30, trees: 200 },
    { n: 200_000, d: 60, trees: 100 },
  ]) {
    const data = join(dir, `d${n}.csv`);
    writeData(data, n, d, n);
    const params = {
      objective: 'binary',
      num_iterations: trees,
      num_leaves: 31,
      learning_rate: 0.1,
      seed: 1,
    };
    const lgbTrain = (threads: number) =>
      timed(
        bin,
        [
          'task=train',
          `data=${data}`,
          'header=true',
          'label_column=name:label',
          'precise_float_parser=true',
          `num_threads=${threads}`,
          'verbosity=-1',
          `output_model=${join(dir, `lgb${threads}.txt`)}`,
          ...Object.entries(params).map(([k, v]) => `${k}=${v}`),
        ],
        { OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: String(threads) },
      );
    // the bin itself, so its shebang's node flags apply as for a user
    const oursTrain = () =>
      timed(cli, [
        'gbdt',
        'train',
        '--data',
        data,
        '--label-column',
        'label',
        '--output',
        join(dir, 'ours.txt'),
        '--quiet',
        ...Object.entries(params).flatMap(([k, v]) => [`--${k}`, String(v)]),
      ]);
    const lgbPredict = () =>
      timed(
        bin,
        [
          'task=predict',
          `data=${data}`,
          'header=true',
          'label_column=name:label',
          'precise_float_parser=true',
          'num_threads=1',
          'verbosity=-1',
          `input_model=${join(dir, 'lgb1.txt')}`,
          `output_result=${join(dir, 'lgb-pred.txt')}`,
        ],
        { OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '1' },
      );
    const oursPredict = () =>
      timed(cli, [
        'gbdt',
        'predict',
        '--model',
        join(dir, 'lgb1.txt'),
        '--data',
        data,
        '--label-column',
        'label',
        '--out',
        join(dir, 'ours-pred.txt'),
      ]);
    const ratios: Record<string, number[]> = { t1: [], best: [], mem: [], pred: [], predMem: [] };
    const cpu: Record<string, number[]> = { ours: [], lgb1: [], lgb2: [], oursP: [], lgbP: [] };
    const mem: Record<string, number[]> = { ours: [], lgb1: [], oursP: [], lgbP: [] };
    for (let round = 0; round < rounds; round++) {
      const o = oursTrain();
      const l1 = lgbTrain(1);
      const l2 = lgbTrain(2);
      const op = oursPredict();
      const lp = lgbPredict();
      process.stderr.write(
        `${n}×${d} round ${round + 1}: ours ${o.cpu}s lgb1 ${l1.cpu}s lgb2 ${l2.cpu}s (wall ${o.wall}/${l1.wall}/${l2.wall}); predict ${op.cpu}s vs ${lp.cpu}s; load ${loadavg()[0]?.toFixed(1)}\n`,
      );
      cpu.ours?.push(o.cpu);
      cpu.lgb1?.push(l1.cpu);
      cpu.lgb2?.push(l2.cpu);
      cpu.oursP?.push(op.cpu);
      cpu.lgbP?.push(lp.cpu);
      mem.ours?.push(o.rssMb);
      mem.lgb1?.push(l1.rssMb);
      mem.oursP?.push(op.rssMb);
      mem.lgbP?.push(lp.rssMb);
      ratios.t1?.push(o.cpu / l1.cpu);
      ratios.best?.push(o.cpu / Math.min(l1.cpu, l2.cpu));
      ratios.mem?.push(o.rssMb / l1.rssMb);
      ratios.pred?.push(op.cpu / lp.cpu);
      ratios.predMem?.push(op.rssMb / lp.rssMb);
    }
    const same =
      treeBlocks(readFileSync(join(dir, 'ours.txt'), 'utf8')) ===
      treeBlocks(readFileSync(join(dir, 'lgb1.txt'), 'utf8'));
    const f = (x: number) => x.toFixed(2);
    out.push(
      `| train ${n} × ${d} × ${trees} trees | ${f(median(cpu.ours ?? []))} | ${f(median(cpu.lgb1 ?? []))} | ${f(median(cpu.lgb2 ?? []))} | **${f(median(ratios.t1 ?? []))}×** | ${f(median(ratios.best ?? []))}× | ${Math.round(median(mem.ours ?? []))} / ${Math.round(median(mem.lgb1 ?? []))} MB (${f(median(ratios.mem ?? []))}×) | ${same ? 'identical' : 'differ'} |`,
      `| predict ${n} × ${d} (LightGBM's model) | ${f(median(cpu.oursP ?? []))} | ${f(median(cpu.lgbP ?? []))} | – | **${f(median(ratios.pred ?? []))}×** | – | ${Math.round(median(mem.oursP ?? []))} / ${Math.round(median(mem.lgbP ?? []))} MB (${f(median(ratios.predMem ?? []))}×) | – |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  [
    `${rounds} interleaved rounds, each figure the median (the lower one for an even count); CPU = user + sys seconds of the whole process (CSV loading included on both sides).`,
    '',
    `start-up, ${Math.max(3, rounds)} interleaved rounds: \`aml-miner --version\` ${median(startup.cli ?? []).toFixed(2)} s CPU, ${Math.round(median(startup.cliMb ?? []))} MB peak RSS; \`node -e ''\` ${median(startup.node ?? []).toFixed(2)} s, ${Math.round(median(startup.nodeMb ?? []))} MB.`,
    '',
    '| task | ours CPU s | LightGBM 1 thread CPU s | LightGBM 2 threads CPU s | ours / LightGBM 1 thread (CPU) | ours / LightGBM best (CPU) | peak RSS ours / LightGBM 1 thread | trees vs LightGBM 1 thread |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...out,
    '',
  ].join('\n'),
);
