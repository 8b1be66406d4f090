/**
 * Validator cycle benchmark (plain script: `node --import tsx bench/validator.bench.ts`): where a
 * cycle's time goes. One full cycle for each miner count × alert count, each in a fresh child
 * process against fake miners in a third (bench/support/cycle-child.ts); prints wall time, peak
 * RSS and the split of the wall time into kinds of work. scale.bench.ts runs the grid of sizes and
 * encodings with bytes and latencies.
 *
 *   BENCH_MINERS=64,256 BENCH_ALERTS=10000 BENCH_ENCODING=arrow node --import tsx bench/validator.bench.ts
 */
import { type CellResult as Result, runCell } from './support/cycle-cell.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

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
    const r = await runCell({
      miners,
      alerts,
      encoding: process.env.BENCH_ENCODING === 'json' ? 'json' : 'arrow',
      concurrency: CONCURRENCY,
      stealth: process.env.BENCH_STEALTH === '1',
    });
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

await main();
