/**
 * The child processes of the cycle benches (validator.bench.ts, scale.bench.ts), started through
 * runCell (cycle-cell.ts):
 *
 * - `run <json options>`: one full validator cycle (runCycle: batch + traps, query, tiers,
 *   ensemble, tier 3, weights on LocalChain, in-memory SQLite) in a process of its own, so its peak
 *   RSS is the cycle's; prints one JSON result line.
 * - `serve`: the fake miners, forked by `run` so their CPU and memory are not the validator's (they
 *   generate the day's batch, write it as a batch folder the cycle reads, and build their copy of
 *   the cycle's request from it with the same trap seed).
 *   Plain node:http servers on 127.0.0.1, one per miner, that read and drop the request (no
 *   signature check, no decoding, no model) and answer a synapse of the right shape and size: one
 *   score per requested alert, without explanations (the validator asks explain: false), each
 *   miner with its own noise so no two look like copies. They count the bytes on their sockets,
 *   headers included, which is what crossed the wire. For the 'negotiated' encoding they advertise
 *   what our axon does and gzip their answers for a caller that accepts gzip (they still never
 *   decode the request).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBatchFolder } from '@aml/miner-template/data';
import pino from 'pino';
import { advertisedHeaders } from '../../src/axon/request-coding.js';
import { LocalChain } from '../../src/chain/local-chain.js';
import { Dendrite } from '../../src/dendrite/dendrite.js';
import { encodeAnswer } from '../../src/protocol/content-coding.js';
import { cryptoReady } from '../../src/protocol/signing.js';
import { FolderBatchSource, GeneratedBatchSource } from '../../src/validator/batch-source.js';
import type { CycleContext, QueryClient } from '../../src/validator/cycle/context.js';
import { newCycleBatch } from '../../src/validator/cycle/request.js';
import { batchIdOf, runCycle } from '../../src/validator/cycle/run-cycle.js';
import { SqliteStore } from '../../src/validator/store/sqlite-store.js';
import type { ValidatorStore } from '../../src/validator/store/types.js';
import { loadHotkeyFromEnv } from '../../src/wallet/hotkey.js';
import { idNoise } from '../../test/validator/support/behaving-miner-api.js';
import type { CellOptions, CellResult } from './cycle-cell.js';

const SELF = fileURLToPath(import.meta.url);
const NETUID = 1;
const TRAPS = 50;
const TRAP_SEED = 4242;
const DATE = '2026-01-01';
const KEY = { network: 'torus', processing_date: DATE, window_days: 7 };
/** A request below this size is the warm-up query (an empty batch), answered with no scores. */
const WARM_UP_BYTES = 64 * 1024;

interface ServeRequest {
  miners: number;
  /** Size of the generated batch: the fake miners write it to batchDir and build the request. */
  alertCount: number;
  batchDir: string;
  /** Advertise and use what our axon does (docs/protocol.md, negotiated compression). */
  negotiate: boolean;
}

/** What our axon advertises on every answer (src/axon/request-coding.ts). */
const ADVERTISED = advertisedHeaders(['gzip', 'br']);

// ---------------------------------------------------------------- fake miners (3rd process)

/**
 * Writes the day's generated batch and labels to `root` as a batch folder (Arrow tables), which the
 * validator then reads as a production validator reads its `--batch.dir`: the generator's own peak
 * (2.2 GB at 50,000 alerts) is not the validator's. Returns the request's alert ids and confidence
 * scores, built from the batch as read back (the same bytes the validator reads), as the cycle's
 * first step will build them.
 */
async function writeBatchAndRequest(alertCount: number, root: string): Promise<Array<[string, number]>> {
  const generated = new GeneratedBatchSource(alertCount);
  const { batch: fresh } = await generated.load(KEY);
  await writeBatchFolder(root, fresh, { format: 'arrow', labels: await generated.labels(KEY) });
  const { batch } = await new FolderBatchSource(root).load(KEY);
  const scratch = new SqliteStore(':memory:');
  try {
    const built = await newCycleBatch(
      { store: scratch, settings: { trapsPerCycle: TRAPS } } as unknown as CycleContext,
      batchIdOf(KEY),
      batch,
      TRAP_SEED,
    );
    return built.request.batch.alerts.map((a) => [a.alert_id, a.alert_confidence_score ?? 0.5]);
  } finally {
    await scratch.close();
  }
}

/** A miner's answer: the confidence score plus its own noise, so no two miners look like copies. */
function minerBody(index: number, alerts: Array<[string, number]>): Buffer {
  const version = `sim-${index}`;
  const scores = alerts.map(([alert_id, conf]) => ({
    alert_id,
    score: Math.min(1, Math.max(0, 0.6 * conf + 0.4 * idNoise(alert_id, index + 7))),
    model_version: version,
    latency_ms: 0.1,
  }));
  return Buffer.from(
    JSON.stringify({ scores, miner_id: version, model_version: version, error: null, axon: {} }),
  );
}

async function serve(): Promise<void> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  let closedRead = 0;
  let closedWritten = 0;
  let alerts: Array<[string, number]> = [];
  process.on('message', async (msg: ServeRequest | { stats: true }) => {
    if ('stats' in msg) {
      let read = closedRead;
      let written = closedWritten;
      for (const s of sockets) {
        read += s.bytesRead;
        written += s.bytesWritten;
      }
      process.send?.({ read, written });
      return;
    }
    // The exact request the cycle will send (same trap seed, same empty trap bank, so a scratch
    // store builds the identical pool and plan), built here and not in the validator's process:
    // at 50,000 alerts it peaks above 2 GB, which is the bench's cost, not the cycle's.
    const t0 = nowMs();
    alerts = await writeBatchAndRequest(msg.alertCount, msg.batchDir);
    const trapsMs = nowMs() - t0;
    const ports: number[] = [];
    for (let i = 0; i < msg.miners; i++) {
      // built per request, not held: 256 bodies of 50,000 answers would be a gigabyte here
      const server = createServer((req, res) => {
        let received = 0;
        req.on('data', (chunk: Buffer) => {
          received += chunk.length;
        });
        req.on('end', async () => {
          // The warm-up query carries no batch: a full answer to it would leave 256 parsed
          // answers in the validator's heap before the cycle starts, counted as the cycle's.
          const plain = received < WARM_UP_BYTES ? minerBody(i, []) : minerBody(i, alerts);
          const { body, coding } = msg.negotiate
            ? await encodeAnswer(plain, req.headers['accept-encoding'])
            : { body: plain, coding: undefined };
          res.writeHead(200, {
            ...(msg.negotiate ? ADVERTISED : {}),
            ...(coding ? { 'content-encoding': coding } : {}),
            'content-type': 'application/json',
            'content-length': body.length,
          });
          res.end(body);
        });
      });
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => {
          sockets.delete(socket);
          closedRead += socket.bytesRead;
          closedWritten += socket.bytesWritten;
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      ports.push((server.address() as AddressInfo).port);
    }
    process.send?.({ ports, trapsMs });
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
/**
 * Largest RSS and heap seen in each phase (MB), sampled every 50 ms and after every store, chain
 * and network call and step: where the peak is reached.
 */
const phasePeaks = new Map<string, { rssMb: number; heapMb: number }>();
function sampleMemory(): void {
  const m = process.memoryUsage();
  const peak = phasePeaks.get(phase) ?? { rssMb: 0, heapMb: 0 };
  peak.rssMb = Math.max(peak.rssMb, m.rss / 2 ** 20);
  peak.heapMb = Math.max(peak.heapMb, m.heapUsed / 2 ** 20);
  phasePeaks.set(phase, peak);
}

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
          // the in-memory store answers without yielding to timers: sample here too
          sampleMemory();
        }
      };
    },
  });
}

/** The dendrite, recording each miner's round trip (its process_time) as answers arrive. */
function latencyRecording(dendrite: QueryClient, latenciesMs: number[]): QueryClient {
  return {
    query: (axons, request, options) =>
      dendrite.query(axons, request, {
        ...options,
        onAnswer: async (i, answer) => {
          const t = answer.dendrite.process_time;
          if (typeof t === 'number') latenciesMs.push(t * 1000);
          await options?.onAnswer?.(i, answer);
        },
      }),
  };
}

function ask<T>(child: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

async function runOnce(options: CellOptions): Promise<CellResult> {
  const { miners, alerts: alertCount } = options;
  await cryptoReady();
  const validator = loadHotkeyFromEnv({ AML_HOTKEY_SEED: `0x${'77'.repeat(32)}` })!;
  const batchDir = mkdtempSync(join(tmpdir(), 'aml-scale-'));
  const batches = new FolderBatchSource(batchDir);
  const g0 = nowMs();
  const server: ChildProcess = fork(SELF, ['serve'], { execArgv: ['--import', 'tsx'] });
  const { ports, trapsMs } = await ask<{ ports: number[]; trapsMs: number }>(server, {
    miners,
    alertCount,
    batchDir,
    negotiate: options.encoding === 'negotiated',
  } satisfies ServeRequest);
  const generateMs = nowMs() - g0 - trapsMs;

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
  // A validator that queried these miners before (every cycle after its first) knows what they
  // advertise; a small query stands in for that earlier cycle, and its bytes are not counted.
  let warmUp = { read: 0, written: 0 };
  if (options.encoding === 'negotiated') {
    const axons = ports.map((port, i) => ({ ip: '127.0.0.1', port, hotkey: minerKeys[i] }));
    await dendrite.query(axons, { task: 'score_alerts', batch_id: 'warm-up', alerts: [] });
    warmUp = await ask<{ read: number; written: number }>(server, { stats: true });
  }
  const store = new SqliteStore(':memory:');
  const latenciesMs: number[] = [];
  const steps: Array<[string, number]> = [];
  const rssBefore = process.memoryUsage().rss / 2 ** 20;
  const cpuBefore = process.cpuUsage();
  const start = nowMs();
  const ctx: CycleContext = {
    store: timed<ValidatorStore>(store, 'store'),
    chain: timed(chain, 'chain'),
    dendrite: timed<QueryClient>(latencyRecording(dendrite, latenciesMs), 'net'),
    batches: timed(batches, 'batch'),
    settings: {
      netuid: NETUID,
      network: 'torus',
      windowDays: 7,
      trapsPerCycle: TRAPS,
      timeoutS: 120,
      concurrency: options.concurrency,
      batchEncoding: options.encoding === 'json' ? 'json' : 'arrow',
      tauDays: 7,
      batchDate: DATE,
      stealthAudit: options.stealth,
    },
    logger: pino({ level: 'silent' }),
    randomSeed: () => TRAP_SEED,
    afterStep: (step) => {
      sampleMemory();
      steps.push([step, nowMs() - start]);
      phase = NEXT_PHASE[step] ?? phase;
    },
  };
  const sampler = setInterval(sampleMemory, 50);
  const report = await runCycle(ctx);
  const wallMs = nowMs() - start;
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const wire = await ask<{ read: number; written: number }>(server, { stats: true });
  server.disconnect();
  server.kill();
  await dendrite.close();
  await store.close();
  rmSync(batchDir, { recursive: true, force: true });
  return {
    miners,
    alerts: alertCount,
    encoding: options.encoding,
    generateMs,
    trapsMs,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMb,
    rssBeforeMb: rssBefore,
    passed: report.tiers.filter((t) => t.t1 === 1).length,
    weights: report.weights.status,
    bytesSent: wire.read - warmUp.read,
    bytesReceived: wire.written - warmUp.written,
    latenciesMs,
    steps,
    timings: Object.fromEntries(timings),
    phasePeaks: Object.fromEntries(phasePeaks),
  };
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'serve') await serve();
else if (mode === 'run') process.stdout.write(`${JSON.stringify(await runOnce(JSON.parse(arg)))}\n`);
