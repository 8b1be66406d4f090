/**
 * The real miner API with the shipped models: POST /score/alerts end to end over HTTP (JSON) for
 * batches of 1, 100, 10,000 and 50,000 alerts, next to the same batch's feature building plus raw
 * onnxruntime inference, and the full scorer (features + inference + TreeSHAP) called in-process,
 * all in the same run. Then the server process's peak RSS while serving the 50,000-alert batch.
 *
 *   node --import tsx bench/serve.bench.ts [--models ../../trained_models] [--sizes 1,100,10000,50000]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { ARROW_CONTENT_TYPE } from '../src/api/content-types.js';
import { encodeBatchArrow } from '../src/data/arrow-batch.js';
import { featureTableToRows } from '../src/data/feature-table.js';
import { buildAlertFeatures } from '../src/features/alert-features.js';
import { selectColumns } from '../src/features/select-columns.js';
import { loadModels } from '../src/models/model-loader.js';
import { generateBatch } from '../src/synthetic/generate.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: fileURLToPath(new URL('../../../trained_models', import.meta.url)) },
    sizes: { type: 'string', default: '1,100,10000,50000' },
    repeats: { type: 'string', default: '3' },
    /** `arrow` alone measures the Arrow path's memory without a JSON body ever being parsed. */
    encodings: { type: 'string', default: 'json,arrow' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const repeats = Number(values.repeats);
const useJson = values.encodings.split(',').includes('json');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const models = await loadModels({ modelsDir: values.models });
const scorer = models.alertScorer;
if (!scorer) throw new Error(`no alert scorer in ${values.models}: ${models.problems.alert_scorer}`);

const child = spawn(
  process.execPath,
  [
    '--max-semi-space-size=64',
    '--import',
    'tsx',
    'src/cli/main.ts',
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--models-dir',
    values.models,
    '--body-limit-mb',
    '2048',
    '--log-level',
    'info',
  ],
  { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
);
let out = '';
const url = await new Promise<string>((resolve, reject) => {
  const onData = (d: Buffer) => {
    out += String(d);
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m) resolve(m[1]);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('exit', () => reject(new Error(`server exited: ${out}`)));
  setTimeout(() => reject(new Error(`server did not start within 60 s: ${out}`)), 60_000).unref();
});

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

const rows: string[] = [];
try {
  for (const n of sizes) {
    const { batch } = generateBatch({ date: '2026-02-10', alerts: n, seed: 5 });
    const body = JSON.stringify({
      alerts: batch.alerts,
      features: featureTableToRows(batch.features),
      clusters: batch.clusters,
      money_flows: batch.money_flows,
    });
    const arrowBody = encodeBatchArrow(batch);
    const http: number[] = [];
    const arrow: number[] = [];
    const raw: number[] = [];
    const full: number[] = [];
    for (let k = 0; k < repeats; k++) {
      let t = performance.now();
      if (useJson) {
        const res = await request(`${url}/score/alerts`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        const answer = (await res.body.json()) as unknown[];
        if (res.statusCode !== 200 || answer.length !== batch.alerts.length)
          throw new Error(`bad answer ${res.statusCode}`);
        http.push(performance.now() - t);
      } else http.push(Number.NaN);

      t = performance.now();
      const resA = await request(`${url}/score/alerts`, {
        method: 'POST',
        body: arrowBody,
        headers: { 'content-type': ARROW_CONTENT_TYPE },
      });
      const answerA = (await resA.body.json()) as unknown[];
      if (resA.statusCode !== 200 || answerA.length !== batch.alerts.length)
        throw new Error(`bad arrow answer ${resA.statusCode}`);
      arrow.push(performance.now() - t);

      t = performance.now();
      const matrix = selectColumns(
        buildAlertFeatures(batch, scorer.featureOptions),
        scorer.model.featureNames,
      );
      await scorer.model.predict(matrix);
      raw.push(performance.now() - t);

      t = performance.now();
      await scorer.score(batch);
      full.push(performance.now() - t);
    }
    const h = median(http);
    const f = median(full);
    const a = median(arrow);
    rows.push(
      `| ${batch.alerts.length} | ${(body.length / 1e6).toFixed(1)} | ${h.toFixed(0)} | ${(arrowBody.length / 1e6).toFixed(1)} | ${a.toFixed(0)} | ${Math.round((batch.alerts.length / (Number.isNaN(h) ? a : Math.min(a, h))) * 1000)} | ${median(raw).toFixed(0)} | ${f.toFixed(0)} | ${(h / f).toFixed(2)}× | ${(a / f).toFixed(2)}× |`,
    );
  }
} finally {
  const peak = rssOf(child.pid!);
  child.kill('SIGTERM');
  process.stdout.write(
    [
      `median of ${repeats} runs; model time = features + onnxruntime; scorer = features + onnxruntime + TreeSHAP (in-process)`,
      '',
      '| alerts | JSON MB | HTTP JSON ms | Arrow MB | HTTP Arrow ms | alerts/s (best) | features + raw inference ms | scorer with explanations ms | JSON ÷ scorer | Arrow ÷ scorer |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `server peak RSS (VmHWM) after all batches: ${peak.toFixed(0)} MB`,
      '',
    ].join('\n'),
  );
}
