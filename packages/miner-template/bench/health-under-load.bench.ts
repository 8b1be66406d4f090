/**
 * `/health` latency while a large batch is scored, with the scoring pool (--workers 2) against
 * scoring on the main thread (--workers 0), the same batch in the same run; plus the wall time of
 * two concurrent requests against one, which shows whether two batches use two cores, and the
 * first request after the ready line against a later one (the warm-up's effect).
 *
 *   node --import tsx bench/health-under-load.bench.ts [--alerts 50000] [--workers 0,2]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { encodeBatchArrowField } from '../src/data/arrow-container.js';
import { generateBatch } from '../src/synthetic/generate.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: fileURLToPath(new URL('../../../trained_models', import.meta.url)) },
    alerts: { type: 'string', default: '50000' },
    workers: { type: 'string', default: '0,2' },
  },
});

function start(workers: string): Promise<{ child: ChildProcess; url: string }> {
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--body-limit-mb', '2048'];
  const child = spawn(process.execPath, [...args, '--models-dir', values.models, '--workers', workers], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += String(d);
      // the ready line comes once the models are loaded (and, with workers, warm)
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && out.includes('aml-miner API ready')) resolve({ child, url: m[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', () => reject(new Error(`server exited: ${out}`)));
  });
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function score(url: string, body: string): Promise<number> {
  const t = performance.now();
  const res = await request(`${url}/score/alerts`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`score/alerts answered ${res.statusCode}`);
  return performance.now() - t;
}

/** Asks /health back to back until `until` settles; returns each answer's latency. */
async function pollHealth(url: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const latencies: number[] = [];
  while (!done) {
    const t = performance.now();
    const res = await request(`${url}/health`);
    await res.body.text();
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 10));
  }
  return latencies;
}

const alerts = Number(values.alerts);
const { batch } = generateBatch({ date: '2026-02-10', alerts, seed: 5 });
const body = JSON.stringify({ batch_arrow: encodeBatchArrowField(batch) });
const rows: string[] = [];
for (const workers of values.workers.split(',')) {
  const { child, url } = await start(workers);
  try {
    const first = await score(url, body); // the first request after the ready line
    const scoring = score(url, body);
    const health = await pollHealth(url, scoring);
    const single = await scoring;
    const t = performance.now();
    await Promise.all([score(url, body), score(url, body)]);
    const pair = performance.now() - t;
    rows.push(
      `| ${workers} | ${(single / 1000).toFixed(1)} s | ${health.length} | ${quantile(health, 0.5).toFixed(0)} ms | ${quantile(health, 0.99).toFixed(0)} ms | ${Math.max(...health).toFixed(0)} ms | ${(pair / single).toFixed(2)}× | ${(first / single).toFixed(2)}× |`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}
console.log(
  `${alerts} alerts over batch_arrow, explanations on; load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
console.log(
  '| --workers | one batch | /health answers during it | p50 | p99 | max | two concurrent batches / one | first request / later |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
