/// <reference path="../../../miner-template/bench/autocannon.d.ts" />
/**
 * Bounded load against a served miner API and an axon proxy, for the soak bench and its short
 * test: mixed batch sizes from the synthetic generator, a fixed number of connections for a fixed
 * time, the server process's RSS sampled from /proc every second, latencies as percentiles.
 * The miner API is loaded with autocannon. The proxy is loaded with our Dendrite (one per
 * connection), because every proxy request must carry a fresh signature and nonce and a replayed
 * autocannon body would be refused as a replay.
 */
import { readFileSync } from 'node:fs';
import { type Batch, featureTableToRows, generateBatch } from '@aml/miner-template';
import { sr25519PairFromSeed } from '@polkadot/util-crypto';
import autocannon from 'autocannon';
import { Dendrite } from '../../src/dendrite/dendrite.js';
import { createSr25519Signer, type Signer } from '../../src/protocol/signing.js';

/** Batch sizes a soak run cycles through, in alerts per request. */
export const SOAK_BATCH_SIZES = [1, 10, 100, 500] as const;

export interface SoakFigures {
  readonly target: string;
  readonly seconds: number;
  readonly connections: number;
  readonly requests: number;
  /** Requests that failed at the transport, timed out, or got anything but a complete 200. */
  readonly errors: number;
  readonly fiveXx: number;
  /** What the errors were: status codes, `timeout`, `transport`, `incomplete`. */
  readonly errorKinds: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /**
   * RSS of the server process (MB): median of the first 10 s of samples after the warm-up, median
   * of the last 10 s, and the largest sample. Medians, because a garbage-collected heap saw-tooths
   * and one sample at a peak or a trough would say growth where there is none, or hide it.
   */
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  readonly rssMaxMb: number;
  /** (end − start) / start, in %. */
  readonly rssGrowthPct: number;
}

function wirePayload(batch: Batch) {
  return {
    alerts: batch.alerts,
    features: featureTableToRows(batch.features),
    clusters: batch.clusters,
    money_flows: batch.money_flows,
  };
}

/** One generated batch per size (same seed, so every run sends the same bytes). */
export function soakPayloads(sizes: readonly number[] = SOAK_BATCH_SIZES) {
  return sizes.map((alerts) =>
    wirePayload(generateBatch({ seed: 17 + alerts, date: '2026-01-01', windowDays: 7, alerts }).batch),
  );
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** Samples RSS once a second; `stop` returns the samples. */
function sampleRss(pid: number): { stop(): number[] } {
  const samples = [rssMb(pid)];
  const timer = setInterval(() => samples.push(rssMb(pid)), 1000);
  return {
    stop() {
      clearInterval(timer);
      samples.push(rssMb(pid));
      return samples;
    },
  };
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}

function rssFigures(samples: number[]) {
  const window = Math.min(10, Math.max(1, samples.length >> 2));
  const start = median(samples.slice(0, window));
  const end = median(samples.slice(-window));
  return {
    rssStartMb: +start.toFixed(1),
    rssEndMb: +end.toFixed(1),
    rssMaxMb: +Math.max(...samples).toFixed(1),
    rssGrowthPct: +(((end - start) / start) * 100).toFixed(1),
  };
}

export interface SoakOptions {
  readonly seconds: number;
  readonly connections: number;
  /** Load before RSS is first sampled, so start-up allocations do not count as growth. */
  readonly warmupSeconds: number;
  /** pid of the server process whose RSS is sampled. */
  readonly pid: number;
}

/** autocannon against POST /score/alerts, cycling through the payloads on every connection. */
export async function soakMinerApi(url: string, options: SoakOptions): Promise<SoakFigures> {
  const bodies = soakPayloads().map((p) => JSON.stringify(p));
  const run = (seconds: number) =>
    autocannon({
      url: `${url}/score/alerts`,
      connections: options.connections,
      duration: seconds,
      // A validator waits up to 120 s for a miner; autocannon's default 10 s would count slow
      // answers under this load as errors.
      timeout: 30,
      requests: bodies.map((body) => ({
        method: 'POST',
        path: '/score/alerts',
        headers: { 'content-type': 'application/json' },
        body,
      })),
    });
  if (options.warmupSeconds > 0) await run(options.warmupSeconds);
  const rss = sampleRss(options.pid);
  const result = await run(options.seconds);
  return {
    target: 'miner API /score/alerts',
    seconds: options.seconds,
    connections: options.connections,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    fiveXx: result['5xx'],
    errorKinds: {
      timeout: result.timeouts,
      transport: result.errors - result.timeouts,
      non2xx: result.non2xx,
    },
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    ...rssFigures(rss.stop()),
  };
}

/** Closed-loop dendrites (one per connection) against an axon, cycling through the payloads. */
export async function soakProxy(
  axon: { ip: string; port: number; hotkey: string },
  signers: readonly Signer[],
  options: SoakOptions,
): Promise<SoakFigures> {
  const payloads = soakPayloads();
  const dendrites = signers.slice(0, options.connections).map((signer) => new Dendrite({ signer }));
  if (dendrites.length < options.connections) throw new Error(`need ${options.connections} signers`);
  const latencies: number[] = [];
  let errors = 0;
  let fiveXx = 0;
  const errorKinds: Record<string, number> = {};
  const load = async (seconds: number, record: boolean) => {
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      dendrites.map(async (d, i) => {
        for (let n = 0; Date.now() < until; n++) {
          const payload = payloads[(i + n) % payloads.length];
          const t0 = performance.now();
          const answer = await d.call(axon, {
            task: 'score_alerts',
            batch_id: `soak-${i}-${n}`,
            ...payload,
            timeout: 30,
          } as never);
          if (!record) continue;
          latencies.push(performance.now() - t0);
          const status = answer.dendrite.status_code ?? 0;
          if (status >= 500) fiveXx++;
          if (status !== 200 || answer.scores?.length !== payload.alerts.length) {
            errors++;
            const kind =
              status === 200
                ? 'incomplete'
                : `${status} ${answer.dendrite.status_message ?? ''}`.slice(0, 80);
            errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
          }
        }
      }),
    );
  };
  if (options.warmupSeconds > 0) await load(options.warmupSeconds, false);
  const rss = sampleRss(options.pid);
  await load(options.seconds, true);
  const samples = rss.stop();
  await Promise.all(dendrites.map((d) => d.close()));
  latencies.sort((a, b) => a - b);
  return {
    target: 'axon proxy (dendrite → proxy → miner API)',
    seconds: options.seconds,
    connections: options.connections,
    requests: latencies.length,
    errors,
    fiveXx,
    errorKinds,
    p50Ms: +percentile(latencies, 0.5).toFixed(1),
    p99Ms: +percentile(latencies, 0.99).toFixed(1),
    maxMs: +latencies[latencies.length - 1].toFixed(1),
    ...rssFigures(samples),
  };
}

/** Deterministic validator signers for the proxy's allow-list. */
export function soakSigners(n: number): Signer[] {
  return Array.from({ length: n }, (_, i) =>
    createSr25519Signer(sr25519PairFromSeed(new Uint8Array(32).fill(60 + i))),
  );
}
