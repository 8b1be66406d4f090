/**
 * Validator cycle benchmark (plain script: `node --import tsx bench/validator.bench.ts`). One full
 * cycle (runCycle: batch + traps, query, tiers, ensemble, tier 3, weights on LocalChain, SQLite
 * store) for each miner count × alert count, each in a fresh child process so peak RSS is its own.
 * The simulated miners are plain node:http servers in a third process (so their CPU and memory are
 * not the validator's), answering a precomputed AmlScoringSynapse body without checking
 * signatures. Reports wall time, peak RSS and where the time went.
 *
 *   BENCH_MINERS=64,256 BENCH_ALERTS=10000 node --import tsx bench/validator.bench.ts
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { LocalChain } from '../src/chain/local-chain.js';
import { Dendrite } from '../src/dendrite/dendrite.js';
import { cryptoReady } from '../src/protocol/signing.js';
import { GeneratedBatchSource } from '../src/validator/batch-source.js';
import type { CycleContext, QueryClient } from '../src/validator/cycle/context.js';
import { newCycleBatch } from '../src/validator/cycle/request.js';
import { batchIdOf, runCycle } from '../src/validator/cycle/run-cycle.js';
import { SqliteStore } from '../src/validator/store/sqlite-store.js';
import type { ValidatorStore } from '../src/validator/store/types.js';
import { loadHotkeyFromEnv } from '../src/wallet/hotkey.js';
import { idNoise } from '../test/validator/support/behaving-miner-api.js';

const SELF = fileURLToPath(import.meta.url);
const NETUID = 1;
const TRAPS = 50;
const TRAP_SEED = 4242;
const DATE = '2026-01-01';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

interface ServeRequest {
  miners: number;
  alerts: Array<[string, number]>;
}

// ---------------------------------------------------------------- miner servers (3rd process)

/** A miner's answer: the confidence score plus its own noise, so no two miners look like copies. */
function minerBody(index: number, alerts: Array<[string, number]>): Buffer {
  const scores = alerts.map(([alert_id, conf]) => ({
    alert_id,
    score: Math.min(1, Math.max(0, 0.6 * conf + 0.4 * idNoise(alert_id, index + 7))),
    model_version: `sim-${index}`,
    latency_ms: 0.1,
    explain_json: '{}',
  }));
  return Buffer.from(
    JSON.stringify({
      scores,
      miner_id: `sim-${index}`,
      model_version: `sim-${index}`,
      error: null,
      axon: {},
    }),
  );
}

async function serve(): Promise<void> {
  const servers: Server[] = [];
  process.on('message', async (msg: ServeRequest) => {
    const ports: number[] = [];
    for (let i = 0; i < msg.miners; i++) {
      const body = minerBody(i, msg.alerts);
      const server = createServer((req, res) => {
        req.resume(); // the validator's batch is read and dropped
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
          res.end(body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      ports.push((server.address() as AddressInfo).port);
    }
    process.send?.({ ports });
  });
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------- one cycle (2nd process)

/** The cycle phase running now (set from the step hook), so each timing lands in its phase. */
let phase = 'begin';
const NEXT_PHASE: Record<string, string> = {
  started: 'query',
  queried: 'tiers',
  scored: 'ensemble',
  ensembled: 'tier3+weights',
  weights: 'complete',
};
const timings = new Map<string, number>();
const add = (key: string, ms: number) => {
  const k = `${phase}:${key}`;
  timings.set(k, (timings.get(k) ?? 0) + ms);
};
const nowMs = () => performance.now();

/** Wraps every async method of `target`, adding its time to `${prefix}.${method}`. */
function timed<T extends object>(target: T, prefix: string): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const t0 = nowMs();
        try {
          return await value.apply(obj, args);
        } finally {
          add(`${prefix}.${String(prop)}`, nowMs() - t0);
        }
      };
    },
  });
}

async function runOnce(miners: number, alertCount: number): Promise<void> {
  await cryptoReady();
  const validator = loadHotkeyFromEnv({ AML_HOTKEY_SEED: `0x${'77'.repeat(32)}` })!;
  const batches = new GeneratedBatchSource(alertCount);
  const key = { network: 'torus', processing_date: DATE, window_days: 7 };

  // The simulated miners must answer the exact request the cycle will send: same trap seed, same
  // (empty) trap bank, so a scratch store builds the identical pool and plan.
  const g0 = nowMs();
  const { batch } = await batches.load(key);
  const generateMs = nowMs() - g0;
  const scratch = new SqliteStore(':memory:');
  const t0 = nowMs();
  const mixed = (
    await newCycleBatch(
      { store: scratch, settings: { trapsPerCycle: TRAPS } } as unknown as CycleContext,
      batchIdOf(key),
      batch,
      TRAP_SEED,
    )
  ).request;
  const trapsMs = nowMs() - t0;
  await scratch.close();
  const server: ChildProcess = fork(SELF, ['serve'], { execArgv: ['--import', 'tsx'] });
  const ports = await new Promise<number[]>((resolve) => {
    server.once('message', (m: { ports: number[] }) => resolve(m.ports));
    server.send({
      miners,
      alerts: mixed.batch.alerts.map(
        (a) => [a.alert_id, a.alert_confidence_score ?? 0.5] as [string, number],
      ),
    } satisfies ServeRequest);
  });

  const minerKeys = ports.map((_, i) => `5Sim${String(i).padStart(44, '0')}`);
  const chain = LocalChain.inMemory(
    {
      startBlock: 1000,
      subnets: [
        {
          netuid: NETUID,
          hyperparameters: { weightsSetRateLimit: 10, maxAllowedUids: miners + 1 },
          neurons: [
            { hotkey: validator.ss58Address, coldkey: 'v', stake: 1000, validatorPermit: true },
            ...ports.map((port, i) => ({
              hotkey: minerKeys[i],
              coldkey: `c${i}`,
              axon: { ip: '127.0.0.1', port },
            })),
          ],
        },
      ],
    },
    { hotkey: validator.pair },
  );
  const dendrite = new Dendrite({ signer: validator.signer });
  const store = new SqliteStore(':memory:');
  const steps: Array<[string, number]> = [];
  const start = nowMs();
  const ctx: CycleContext = {
    store: timed<ValidatorStore>(store, 'store'),
    chain: timed(chain, 'chain'),
    dendrite: timed<QueryClient>(dendrite, 'net'),
    batches: timed(batches, 'batch'),
    settings: {
      netuid: NETUID,
      network: 'torus',
      windowDays: 7,
      trapsPerCycle: TRAPS,
      timeoutS: 120,
      concurrency: CONCURRENCY,
      tauDays: 7,
      batchDate: DATE,
      stealthAudit: process.env.BENCH_STEALTH === '1',
    },
    logger: pino({ level: 'silent' }),
    randomSeed: () => TRAP_SEED,
    afterStep: (step) => {
      steps.push([step, nowMs() - start]);
      phase = NEXT_PHASE[step] ?? phase;
    },
  };
  const report = await runCycle(ctx);
  const wallMs = nowMs() - start;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const passed = report.tiers.filter((t) => t.t1 === 1).length;
  server.disconnect();
  server.kill();
  await dendrite.close();
  await store.close();
  process.stdout.write(
    `${JSON.stringify({ miners, alerts: alertCount, generateMs, trapsMs, wallMs, rssMb, passed, weights: report.weights.status, steps, timings: Object.fromEntries(timings) })}\n`,
  );
}

// ---------------------------------------------------------------- driver (1st process)

interface Result {
  miners: number;
  alerts: number;
  /** Generating the synthetic batch, done before the cycle (the cycle then hits the source's cache). */
  generateMs: number;
  wallMs: number;
  rssMb: number;
  passed: number;
  weights: string;
  steps: Array<[string, number]>;
  timings: Record<string, number>;
}

function runChild(miners: number, alerts: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, ['run', String(miners), String(alerts)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`run ${miners}×${alerts} exited ${code}`));
      else resolve(JSON.parse(line) as Result);
    });
  });
}

/** Time of one kind of work, from the per-call timings: `prefix` in `phaseName` (any phase if omitted). */
function spent(r: Result, prefix: string, phaseName?: string): number {
  let sum = 0;
  for (const [k, ms] of Object.entries(r.timings)) {
    const [p, key] = k.split(':');
    if ((phaseName === undefined || p === phaseName) && key.startsWith(prefix)) sum += ms;
  }
  return sum;
}

/** Splits a cycle's wall time into kinds of work (each phase's own compute = its wall time minus its I/O). */
function phases(r: Result) {
  const mark = (s: string) => r.steps.find(([name]) => name === s)?.[1] ?? 0;
  const phaseWall: Record<string, number> = {
    begin: mark('started'),
    query: mark('queried') - mark('started'),
    tiers: mark('scored') - mark('queried'),
    ensemble: mark('ensembled') - mark('scored'),
    'tier3+weights': r.wallMs - mark('ensembled'),
  };
  const io = (p: string) =>
    spent(r, 'store.', p) + spent(r, 'batch.', p) + spent(r, 'net.', p) + spent(r, 'chain.', p);
  return {
    'batch + traps (generate)': spent(r, 'batch.'),
    'network (dendrite query)': spent(r, 'net.'),
    'answers write (JSON+gzip)': spent(r, 'store.putAnswers'),
    'answers read (gunzip+parse)': spent(r, 'store.answers'),
    'other store': spent(r, 'store.') - spent(r, 'store.putAnswers') - spent(r, 'store.answers'),
    'tiers 1-2 (compute)': phaseWall.tiers - io('tiers'),
    'ensemble (compute)': phaseWall.ensemble - io('ensemble'),
    'tier 3 (compute)': phaseWall['tier3+weights'] - io('tier3+weights'),
    chain: spent(r, 'chain.'),
  };
}

async function main(): Promise<void> {
  const minerCounts = (process.env.BENCH_MINERS ?? '64,256').split(',').map(Number);
  const alerts = Number(process.env.BENCH_ALERTS ?? 10_000);
  const results: Result[] = [];
  for (const miners of minerCounts) {
    const r = await runChild(miners, alerts);
    results.push(r);
    process.stdout.write(
      `${miners} miners × ${alerts} alerts: ${(r.wallMs / 1000).toFixed(1)} s (+ ${(r.generateMs / 1000).toFixed(1)} s generating the batch before), peak RSS ${r.rssMb.toFixed(0)} MB, ${r.passed} passed tier 1, weights ${r.weights}\n`,
    );
  }
  const names = Object.keys(phases(results[0]));
  const head = ['phase', ...results.map((r) => `${r.miners}×${r.alerts}`)];
  const rows = names.map((n) => [
    n,
    ...results.map((r) => {
      const ms = phases(r)[n as keyof ReturnType<typeof phases>];
      return `${(ms / 1000).toFixed(2)} s (${((100 * ms) / r.wallMs).toFixed(0)}%)`;
    }),
  ]);
  rows.push(['total wall', ...results.map((r) => `${(r.wallMs / 1000).toFixed(2)} s`)]);
  rows.push(['peak RSS', ...results.map((r) => `${r.rssMb.toFixed(0)} MB`)]);
  const width = head.map((_, i) => Math.max(...[head, ...rows].map((row) => row[i].length)));
  for (const row of [head, ...rows])
    process.stdout.write(`${row.map((c, i) => c.padEnd(width[i])).join('  ')}\n`);
  if (process.env.BENCH_VERBOSE) process.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'serve') await serve();
else if (mode === 'run') await runOnce(Number(a), Number(b));
else await main();
