/**
 * Validator scale bench (issue 18): one full validator cycle per cell of miners × alerts, over the
 * compact transport (`batch_arrow`, the default) to miners that negotiate compression as our axon
 * does ('negotiated') and to miners that advertise nothing ('arrow', as a Python axon), and over
 * the JSON tables (the path before it, the baseline) in the same run. Per cell: cycle wall time (and the part of it spent in `begin`, which builds the
 * batch's trap pool: the first cycle of a batch day pays it, later ones read the pool from the
 * store), the validator's CPU time and peak RSS, bytes on the wire both ways (counted on the
 * miners' sockets, headers included) and the miners' round trips as the dendrite saw them (p50 /
 * p90 / p99 / max).
 *
 * The miners are fake (bench/support/cycle-child.ts): HTTP servers on 127.0.0.1 in a process of
 * their own that drop the request and answer a canned synapse of the right shape and size, so the
 * bench measures the validator, not model inference. They share the machine's cores with the
 * validator (reading 256 requests of 13 MB is their CPU, not the validator's), so on a small host
 * the wall time is an upper bound of a real cycle's; the CPU column is the validator's own.
 *
 *   node --import tsx bench/scale.bench.ts [--miners 1,16,64,256] [--alerts 2000,10000,50000]
 *     [--encodings negotiated,arrow,json] [--concurrency 16] [--out results.jsonl]
 *
 * (also SCALE_MINERS, SCALE_ALERTS, SCALE_ENCODINGS; `npm run bench -- scale` runs the default
 * grid, 1 and 16 miners × 2,000 and 10,000 alerts, which fits a few minutes). Each cell's line is
 * printed, and appended to --out, as soon as it finishes, so a long grid can be run in parts.
 */
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  CELL_ENCODINGS,
  type CellEncoding,
  type CellResult,
  printTable,
  quantile,
  runCell,
} from './support/cycle-cell.js';

const { values } = parseArgs({
  options: {
    miners: { type: 'string', default: process.env.SCALE_MINERS ?? '1,16' },
    alerts: { type: 'string', default: process.env.SCALE_ALERTS ?? '2000,10000' },
    encodings: { type: 'string', default: process.env.SCALE_ENCODINGS ?? 'negotiated,arrow,json' },
    concurrency: { type: 'string', default: '16' },
    stealth: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const list = (text: string) =>
  text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const minerCounts = list(values.miners).map(Number);
const alertCounts = list(values.alerts).map(Number);
const encodings = list(values.encodings) as CellEncoding[];
for (const e of encodings)
  if (!CELL_ENCODINGS.includes(e))
    throw new Error(`--encodings: "${e}" is not one of ${CELL_ENCODINGS.join(', ')}`);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const s = (ms: number) => (ms / 1000).toFixed(1);
const phaseLine = (peaks: CellResult['phasePeaks']) =>
  Object.entries(peaks)
    .map(([phase, p]) => `${phase} ${p.rssMb.toFixed(0)}/${p.heapMb.toFixed(0)} MB`)
    .join(', ');

process.stdout.write(
  `scale bench: miners ${minerCounts.join(',')} × alerts ${alertCounts.join(',')} × ${encodings.join(',')}; load at start ${load()}\n`,
);
/** beginMs: the cycle's first step (batch, trap pool, plan); the pool is built once per batch day. */
const results: Array<CellResult & { beginMs: number; load: string }> = [];
for (const alerts of alertCounts) {
  for (const miners of minerCounts) {
    for (const encoding of encodings) {
      const r = await runCell({
        miners,
        alerts,
        encoding,
        concurrency: Number(values.concurrency),
        stealth: values.stealth,
      });
      const beginMs = r.steps.find(([step]) => step === 'started')?.[1] ?? Number.NaN;
      const row = { ...r, beginMs, load: load(), steps: [], timings: {} };
      results.push(row);
      if (values.out) appendFileSync(values.out, `${JSON.stringify(row)}\n`);
      process.stdout.write(
        `${miners} × ${alerts} ${encoding}: ${s(r.wallMs)} s (begin ${s(beginMs)} s, validator CPU ${s(r.cpuMs)} s), peak RSS ${r.rssMb.toFixed(0)} MB, sent ${mb(r.bytesSent)} MB, received ${mb(r.bytesReceived)} MB, ${r.passed}/${miners} passed tier 1 (load ${row.load})\n  peak RSS / heap by phase: ${phaseLine(r.phasePeaks)}\n`,
      );
    }
  }
}

const ENCODING_LABELS: Record<CellEncoding, string> = {
  json: 'JSON tables',
  arrow: 'batch_arrow, plain',
  negotiated: 'batch_arrow, negotiated',
};
const baseline = (r: CellResult) =>
  results.find((x) => x.miners === r.miners && x.alerts === r.alerts && x.encoding === 'json');
printTable(
  [
    'alerts',
    'miners',
    'encoding',
    'cycle wall',
    'of which begin',
    'validator CPU',
    'peak RSS',
    'sent',
    'received',
    'JSON bytes ÷ these',
    'miner round trip p50 / p90 / p99 / max',
    'tier 1',
    'load',
  ],
  results.map((r) => {
    const base = baseline(r);
    const total = r.bytesSent + r.bytesReceived;
    const lat = [0.5, 0.9, 0.99, 1].map((q) => s(quantile(r.latenciesMs, q))).join(' / ');
    return [
      r.alerts.toLocaleString('en'),
      String(r.miners),
      ENCODING_LABELS[r.encoding],
      `${s(r.wallMs)} s`,
      `${s(r.beginMs)} s`,
      `${s(r.cpuMs)} s`,
      `${r.rssMb.toFixed(0)} MB`,
      `${mb(r.bytesSent)} MB`,
      `${mb(r.bytesReceived)} MB`,
      base ? `${((base.bytesSent + base.bytesReceived) / total).toFixed(1)}×` : '–',
      `${lat} s`,
      `${r.passed}/${r.miners}`,
      r.load,
    ];
  }),
);
