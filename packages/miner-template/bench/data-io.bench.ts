/**
 * Batch I/O benchmark: writes and reads a synthetic batch (10k and 100k alerts, ~100 feature
 * columns) in each format and prints a markdown table of times, bytes and peak RSS. Each case runs
 * in its own child process so its peak RSS is its own. Plain script:
 *   node --import tsx bench/data-io.bench.ts [sizes...]
 * The data is simple seeded random numbers, not the synthetic generator's realistic batches.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Batch } from '../src/data/batch.js';
import { readBatchFolder, writeBatchFolder } from '../src/data/batch-folder.js';
import { checkBatchIntegrity } from '../src/data/integrity.js';
import type { Alert } from '../src/schemas/alert.js';
import type { Cluster } from '../src/schemas/cluster.js';
import { CORE_FEATURE_COLUMNS } from '../src/schemas/features.js';
import { TABLE_FORMATS, type TableFormat } from '../src/schemas/meta.js';
import type { MoneyFlow } from '../src/schemas/money-flow.js';

const FEATURE_COLUMNS = [...CORE_FEATURE_COLUMNS, ...Array.from({ length: 59 }, (_, i) => `extra_${i}`)];

/** mulberry32: small, seeded, good enough for benchmark data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticBatch(nAlerts: number, seed = 1): Batch {
  const r = rng(seed);
  const severities = ['low', 'medium', 'high', 'critical'] as const;
  const address = Array.from(
    { length: nAlerts },
    (_, i) => `0x${(i * 2654435761).toString(16).padStart(12, '0')}`,
  );
  const alerts: Alert[] = address.map((a, i) => ({
    alert_id: `alert-${i}`,
    address: a,
    processing_date: '2025-06-01',
    window_days: 7,
    typology_type: 'layering',
    pattern_id: `p-${i % 97}`,
    pattern_type: 'graph',
    severity: severities[i % 4],
    suspected_address_type: 'unknown',
    suspected_address_subtype: undefined,
    alert_confidence_score: r(),
    description: `synthetic alert ${i}`,
    volume_usd: Math.round(r() * 1e8) / 100,
    evidence_json: '{"hops":3}',
    risk_indicators: i % 3 === 0 ? [] : ['burst', 'fan_out'],
  }));
  const columns = new Map<string, Float64Array>();
  for (const name of FEATURE_COLUMNS) {
    const values = new Float64Array(nAlerts);
    const binary = name.startsWith('is_');
    for (let i = 0; i < nAlerts; i++)
      values[i] = r() < 0.05 ? Number.NaN : binary ? (r() < 0.2 ? 1 : 0) : r() * 1000;
    columns.set(name, values);
  }
  const clusters: Cluster[] = Array.from({ length: Math.ceil(nAlerts / 10) }, (_, c) => ({
    cluster_id: `cluster-${c}`,
    cluster_type: 'pattern',
    primary_address: address[c * 10],
    pattern_id: undefined,
    primary_alert_id: `alert-${c * 10}`,
    related_alert_ids: Array.from(
      { length: Math.min(10, nAlerts - c * 10) },
      (_, k) => `alert-${c * 10 + k}`,
    ),
    addresses_involved: [address[c * 10]],
    total_alerts: 10,
    total_volume_usd: r() * 1e6,
    severity_max: 'high',
    confidence_avg: r(),
    earliest_alert_timestamp: 1_748_736_000_000,
    latest_alert_timestamp: 1_748_822_400_000,
  }));
  const money_flows: MoneyFlow[] = address.map((a, i) => ({
    from_address: a,
    to_address: address[(i * 7 + 1) % nAlerts],
    tx_count: 1 + (i % 20),
    amount_usd_sum: r() * 1e5,
    first_seen_timestamp: 1_748_736_000_000,
    last_seen_timestamp: 1_748_822_400_000,
    active_days: 1 + (i % 7),
    avg_tx_size_usd: r() * 1e4,
    unique_assets: 1,
    dominant_asset: 'TOR',
    reciprocity_ratio: r(),
    is_bidirectional: i % 2 === 0,
  }));
  return {
    key: { network: 'bench', processing_date: '2025-06-01', window_days: 7 },
    alerts,
    features: { address, columns },
    clusters,
    money_flows,
  };
}

interface CaseResult {
  alerts: number;
  format: string;
  writeMs: number;
  readMs: number;
  /** user+system CPU time: less distorted than wall time on a shared, loaded machine */
  writeCpuMs: number;
  readCpuMs: number;
  bytes: number;
  featureBytes: number;
  integrityMs: number;
  baseRssMb: number;
  peakRssMb: number;
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function runCase(nAlerts: number, format: TableFormat): Promise<CaseResult> {
  const batch = syntheticBatch(nAlerts);
  const baseRssMb = mb(process.memoryUsage().rss);
  const root = await mkdtemp(join(tmpdir(), 'aml-bench-'));
  try {
    let t = performance.now();
    let cpu = process.cpuUsage();
    const { dir, meta } = await writeBatchFolder(root, batch, { format });
    const writeMs = performance.now() - t;
    const writeCpuMs = cpuMs(process.cpuUsage(cpu));
    t = performance.now();
    cpu = process.cpuUsage();
    const back = await readBatchFolder(dir);
    const readMs = performance.now() - t;
    const readCpuMs = cpuMs(process.cpuUsage(cpu));
    t = performance.now();
    const issues = checkBatchIntegrity(back);
    const integrityMs = performance.now() - t;
    if (
      issues.length > 0 ||
      back.alerts.length !== nAlerts ||
      back.features.columns.size !== FEATURE_COLUMNS.length
    ) {
      throw new Error('benchmark batch did not round-trip');
    }
    const files = Object.values(meta.files).filter((f) => f !== undefined);
    return {
      alerts: nAlerts,
      format,
      writeMs,
      readMs,
      writeCpuMs,
      readCpuMs,
      bytes: files.reduce((s, f) => s + f.bytes, 0),
      featureBytes: meta.files.features.bytes,
      integrityMs,
      baseRssMb,
      // maxRSS is in KiB
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const secs = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--case') {
    const result = await runCase(Number(args[1]), args[2] as TableFormat);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const sizes = args.length > 0 ? args.map(Number) : [10_000, 100_000];
  const self = fileURLToPath(import.meta.url);
  const rows: string[] = [
    `Batch I/O (${FEATURE_COLUMNS.length} feature columns; node ${process.version}; one child process per case; wall s, CPU s in brackets; load average ${loadavg()[0].toFixed(1)} at start)`,
    '',
    '| alerts | format | write s (cpu) | read s (cpu) | total MiB | features MiB | integrity ms | RSS before MiB | peak RSS MiB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const n of sizes) {
    for (const format of TABLE_FORMATS) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--case', String(n), format], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as CaseResult;
      const row = `| ${r.alerts} | ${r.format} | ${secs(r.writeMs)} (${secs(r.writeCpuMs)}) | ${secs(r.readMs)} (${secs(r.readCpuMs)}) | ${(r.bytes / 2 ** 20).toFixed(1)} | ${(r.featureBytes / 2 ** 20).toFixed(1)} | ${r.integrityMs.toFixed(1)} | ${r.baseRssMb} | ${r.peakRssMb} |`;
      rows.push(row);
      process.stderr.write(`${row}\n`);
    }
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

// importable (for syntheticBatch) without running the benchmark
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
