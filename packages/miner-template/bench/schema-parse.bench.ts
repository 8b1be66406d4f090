/**
 * Benchmark of batch-body parsing: BatchRequestSchema.safeParse (the zod schema alone, which is what
 * parseBatchRequest ran before the fast path) against parseBatchRequest (fast path, zod fallback),
 * per table and for the whole body, and batchFromRequest(zod parse) against parseBatchBody for the
 * whole way to the columnar Batch, on generateBatch data sent through a JSON round trip so it
 * looks like the wire (NaN became null, numbers are JSON numbers). Each (semi-space, size) case runs
 * in its own child process; prints a markdown table of median milliseconds.
 *   node --import tsx bench/schema-parse.bench.ts [sizes...]      (default 10000 50000)
 * The 50k body is the 10k batch repeated with suffixed ids (parse cost does not depend on ids).
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { featureTableToRows } from '../src/data/feature-table.js';
import { batchFromRequest, parseBatchBody, parseBatchRequest } from '../src/data/parse-request.js';
import { BatchRequestSchema } from '../src/schemas/batch.js';
import { generateBatch } from '../src/synthetic/generate.js';

const BASE_ALERTS = 10_000;
const REPEATS = 7;
const TABLES = ['alerts', 'features', 'clusters', 'money_flows'] as const;
/** body: the whole BatchRequest; batch: on to the columnar Batch (batchFromRequest included). */
type Part = (typeof TABLES)[number] | 'body' | 'batch';

interface CaseResult {
  semi: string;
  size: number;
  rows: Record<Part, number>;
  zodMs: Record<Part, { wall: number; cpu: number }>;
  fastMs: Record<Part, { wall: number; cpu: number }>;
}

type WireBody = Record<(typeof TABLES)[number], Record<string, unknown>[]>;

function wireBody(size: number): WireBody {
  const { batch } = generateBatch({ date: '2026-01-15', alerts: BASE_ALERTS, seed: 11 });
  const base = JSON.parse(
    JSON.stringify({
      alerts: batch.alerts,
      features: featureTableToRows(batch.features),
      clusters: batch.clusters,
      money_flows: batch.money_flows,
    }),
  ) as WireBody;
  const copies = Math.max(1, Math.round(size / BASE_ALERTS));
  const body: WireBody = { alerts: [], features: [], clusters: [], money_flows: [] };
  for (let c = 0; c < copies; c++) {
    const tag = c === 0 ? '' : `~${c}`;
    const copy = JSON.parse(JSON.stringify(base)) as WireBody;
    for (const a of copy.alerts) a.alert_id = `${a.alert_id}${tag}`;
    for (const k of copy.clusters) k.cluster_id = `${k.cluster_id}${tag}`;
    for (const t of TABLES) body[t].push(...copy[t]);
  }
  return body;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Run with --expose-gc: each timed run starts from a collected heap, not the last run's garbage. */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Median wall and CPU milliseconds (CPU includes V8's GC helper threads; less hurt by a busy host). */
function timeMs(fn: () => unknown): { wall: number; cpu: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  fn(); // warm-up: JIT and the zod object fast pass
  for (let r = 0; r < REPEATS; r++) {
    collect();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function runCase(size: number, semi: string): CaseResult {
  const body = wireBody(size);
  const parts: Record<Part, unknown> = {
    alerts: { alerts: body.alerts },
    features: { alerts: [], features: body.features },
    clusters: { alerts: [], clusters: body.clusters },
    money_flows: { alerts: [], money_flows: body.money_flows },
    body,
    batch: body,
  };
  const rows = {} as Record<Part, number>;
  const zodMs = {} as CaseResult['zodMs'];
  const fastMs = {} as CaseResult['fastMs'];
  for (const part of Object.keys(parts) as Part[]) {
    const input = parts[part];
    rows[part] = part === 'body' || part === 'batch' ? body.alerts.length : body[part].length;
    if (part === 'batch') {
      zodMs[part] = timeMs(() => batchFromRequest(BatchRequestSchema.parse(input)));
      fastMs[part] = timeMs(() => parseBatchBody(input));
      continue;
    }
    zodMs[part] = timeMs(() => {
      if (!BatchRequestSchema.safeParse(input).success) throw new Error(`zod rejected ${part}`);
    });
    fastMs[part] = timeMs(() => parseBatchRequest(input));
  }
  return { semi, size, rows, zodMs, fastMs };
}

function main(): void {
  const [flag, sizeArg, semiArg] = process.argv.slice(2);
  if (flag === '--child') {
    process.stdout.write(JSON.stringify(runCase(Number(sizeArg), semiArg)));
    return;
  }
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const self = fileURLToPath(import.meta.url);
  const results: CaseResult[] = [];
  for (const semi of ['default', '64']) {
    for (const size of sizes.length ? sizes : [10_000, 50_000]) {
      const nodeArgs = ['--expose-gc', ...(semi === 'default' ? [] : [`--max-semi-space-size=${semi}`])];
      const out = execFileSync(
        process.execPath,
        [...nodeArgs, '--import', 'tsx', self, '--child', String(size), semi],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      results.push(JSON.parse(out) as CaseResult);
    }
  }
  console.log(`node ${process.version}, load average ${loadavg()[0].toFixed(2)}, median of ${REPEATS}\n`);
  console.log(
    '| semi-space MB | alerts | part | rows | zod wall ms | fast wall ms | zod CPU ms | fast CPU ms | speed-up (CPU) | zod µs/row | fast µs/row |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    for (const part of [...TABLES, 'body', 'batch'] as Part[]) {
      const z = r.zodMs[part];
      const f = r.fastMs[part];
      const n = Math.max(1, r.rows[part]);
      const cells = [
        r.semi,
        r.size,
        part,
        r.rows[part],
        z.wall.toFixed(1),
        f.wall.toFixed(1),
        z.cpu.toFixed(1),
        f.cpu.toFixed(1),
        `${(z.cpu / f.cpu).toFixed(1)}x`,
        ((z.cpu * 1000) / n).toFixed(2),
        ((f.cpu * 1000) / n).toFixed(2),
      ];
      console.log(`| ${cells.join(' | ')} |`);
    }
  }
}

main();
