/**
 * The real miner API with the shipped models: POST /score/alerts end to end over HTTP (JSON) for
 * batches of 1, 100, 10,000 and 50,000 alerts, next to the same batch's feature building plus raw
 * onnxruntime inference, and the full scorer (features + inference + TreeSHAP) called in-process,
 * all in the same run. Then the server process's peak RSS while serving the 50,000-alert batch.
 *
 *   node --import tsx bench/serve.bench.ts [--models ../../trained_models] [--sizes 1,100,10000,50000]
 *     [--encodings json,arrow,batch_arrow] [--in-process false] [--repeats 3] [--server dist]
 *     [--digest true] [--package-dir DIR] [--node-flags=--max-semi-space-size=64]
 *
 * `--server dist` runs the built `bin/aml-miner.js` (what an operator runs) instead of the source
 * under tsx; `--digest true` prints a SHA-256 of each answer without its latency_ms (the one field
 * that is wall time), so two trees can be shown to answer bit for bit the same; `--package-dir`
 * (with `--server dist`) serves another build of this package, e.g. an older commit's, for a
 * before/after run with the same bench.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { ARROW_CONTENT_TYPE } from '../src/api/content-types.js';
import { encodeBatchArrow } from '../src/data/arrow-batch.js';
import { encodeBatchArrowField } from '../src/data/arrow-container.js';
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
    /**
     * Which bodies to post: json (the tables as JSON), arrow (the container as the body),
     * batch_arrow (the synapse field in a JSON envelope); one alone measures its peak RSS.
     */
    encodings: { type: 'string', default: 'json,arrow,batch_arrow' },
    /** false skips the in-process feature/inference/scorer timings (memory runs). */
    'in-process': { type: 'string', default: 'true' },
    /** tsx: the TypeScript source; dist: the built bin, as `aml-miner serve` runs. */
    server: { type: 'string', default: 'tsx' },
    digest: { type: 'string', default: 'false' },
    'package-dir': { type: 'string', default: fileURLToPath(new URL('..', import.meta.url)) },
    /**
     * Node flags for the server, as its bin's shebang gives them; builds before 2026-12-08 started
     * with `--max-semi-space-size=64` instead (pass `--node-flags=...` for a before run).
     */
    'node-flags': { type: 'string', default: '--expose-gc' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const repeats = Number(values.repeats);
const encodings = values.encodings.split(',');
const useJson = encodings.includes('json');
const useArrow = encodings.includes('arrow');
const useField = encodings.includes('batch_arrow');
const inProcess = values['in-process'] !== 'false';
const median = (xs: number[]) =>
  xs.length === 0 ? Number.NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const models = await loadModels({ modelsDir: values.models });
const scorer = models.alertScorer;
if (!scorer) throw new Error(`no alert scorer in ${values.models}: ${models.problems.alert_scorer}`);

const entry = values.server === 'dist' ? ['bin/aml-miner.js'] : ['--import', 'tsx', 'src/cli/main.ts'];
const child = spawn(
  process.execPath,
  [
    ...values['node-flags'].split(' ').filter((f) => f !== ''),
    ...entry,
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
  { cwd: values['package-dir'], stdio: ['ignore', 'pipe', 'pipe'] },
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

/** Posts one batch to /score/alerts; the wall time in ms. */
async function post(
  payload: string | Uint8Array,
  contentType: string,
  alerts: number,
  encoding: string,
): Promise<number> {
  const t = performance.now();
  const res = await request(`${url}/score/alerts`, {
    method: 'POST',
    body: payload,
    headers: { 'content-type': contentType },
  });
  const answer = (await res.body.json()) as { latency_ms?: number }[];
  if (res.statusCode !== 200 || answer.length !== alerts) throw new Error(`bad answer ${res.statusCode}`);
  const ms = performance.now() - t;
  if (values.digest === 'true') {
    const hash = createHash('sha256');
    for (const { latency_ms: _, ...rest } of answer) hash.update(JSON.stringify(rest));
    digests.push(`${encoding}, ${alerts} alerts: ${hash.digest('hex')}`);
  }
  return ms;
}

const rows: string[] = [];
const digests: string[] = [];
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
    const fieldBody = useField ? JSON.stringify({ batch_arrow: encodeBatchArrowField(batch) }) : '';
    const http: number[] = [];
    const arrow: number[] = [];
    const compact: number[] = [];
    const raw: number[] = [];
    const full: number[] = [];
    for (let k = 0; k < repeats; k++) {
      http.push(useJson ? await post(body, 'application/json', batch.alerts.length, 'json') : Number.NaN);
      arrow.push(
        useArrow ? await post(arrowBody, ARROW_CONTENT_TYPE, batch.alerts.length, 'arrow') : Number.NaN,
      );
      compact.push(
        useField ? await post(fieldBody, 'application/json', batch.alerts.length, 'batch_arrow') : Number.NaN,
      );
      if (!inProcess) continue;

      let t = performance.now();
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
    const c = median(compact);
    const best = Math.min(...[h, a, c].filter((x) => !Number.isNaN(x)));
    rows.push(
      `| ${batch.alerts.length} | ${(body.length / 1e6).toFixed(1)} | ${h.toFixed(0)} | ${(arrowBody.length / 1e6).toFixed(1)} | ${a.toFixed(0)} | ${(fieldBody.length / 1e6).toFixed(1)} | ${c.toFixed(0)} | ${Math.round((batch.alerts.length / best) * 1000)} | ${median(raw).toFixed(0)} | ${f.toFixed(0)} | ${(h / f).toFixed(2)}× | ${(a / f).toFixed(2)}× |`,
    );
  }
} finally {
  const peak = rssOf(child.pid!);
  child.kill('SIGTERM');
  process.stdout.write(
    [
      `median of ${repeats} runs; model time = features + onnxruntime; scorer = features + onnxruntime + TreeSHAP (in-process)`,
      '',
      '| alerts | JSON MB | HTTP JSON ms | Arrow MB | HTTP Arrow ms | batch_arrow MB | HTTP batch_arrow ms | alerts/s (best) | features + raw inference ms | scorer with explanations ms | JSON ÷ scorer | Arrow ÷ scorer |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `server peak RSS (VmHWM) after all batches: ${peak.toFixed(0)} MB`,
      ...digests.map((d) => `answers sha256 (latency_ms left out), ${d}`),
      '',
    ].join('\n'),
  );
}
