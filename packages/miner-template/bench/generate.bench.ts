/**
 * Benchmark of the synthetic batch generator: wall time, CPU time and peak RSS for 10k and 100k
 * alerts. Each size runs in its own child process so peak RSS is that size's alone.
 * Run: node --import tsx bench/generate.bench.ts [sizes...]   (default 10000 100000)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateBatch } from '../src/synthetic/generate.js';

interface Result {
  alerts: number;
  wallS: number;
  cpuS: number;
  peakRssMb: number;
  features: number;
  flows: number;
  clusters: number;
  transactions: number;
  addresses: number;
  positiveRate: number;
}

function runOne(alerts: number): Result {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { batch, truth } = generateBatch({ date: '2026-01-01', alerts, seed: 7 });
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    alerts: batch.alerts.length,
    wallS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    features: batch.features.address.length,
    flows: batch.money_flows.length,
    clusters: batch.clusters.length,
    transactions: truth.stats.transactions,
    addresses: truth.stats.addresses,
    positiveRate: truth.positive_rate,
  };
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  process.stdout.write(JSON.stringify(runOne(Number(args[1]))));
} else {
  const sizes = args.length > 0 ? args.map(Number) : [10_000, 100_000];
  const self = fileURLToPath(import.meta.url);
  const rows: Result[] = sizes.map((n) =>
    JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', self, '--child', String(n)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }),
    ),
  );
  const lines = [
    '| alerts | wall s | cpu s | peak RSS MB | feature rows | money flows | clusters | simulated txs | addresses | positive rate |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.alerts} | ${r.wallS.toFixed(1)} | ${r.cpuS.toFixed(1)} | ${r.peakRssMb.toFixed(0)} | ${r.features} | ${r.flows} | ${r.clusters} | ${r.transactions} | ${r.addresses} | ${(r.positiveRate * 100).toFixed(1)}% |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
