/**
 * One bench cell: a full validator cycle against fake miners (cycle-child.ts), run in a fresh
 * child process so its peak RSS is its own, and the figures the cycle benches print from it.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./cycle-child.ts', import.meta.url));

/**
 * - 'json': the JSON tables (`--neuron.batch_encoding json`), to miners that advertise nothing;
 * - 'arrow': batch_arrow, the default, to miners that advertise nothing (a Python axon): gzip
 *   container, plain bodies and answers;
 * - 'negotiated': batch_arrow to miners that advertise what our axon does (gzip bodies, brotli
 *   batches, gzip answers), after a small query from which the dendrite learned it.
 */
export type CellEncoding = 'arrow' | 'json' | 'negotiated';
export const CELL_ENCODINGS: readonly CellEncoding[] = ['arrow', 'json', 'negotiated'];

export interface CellOptions {
  miners: number;
  alerts: number;
  encoding: CellEncoding;
  /** Miners queried at once (the validator's `--neuron.concurrency`, default 16). */
  concurrency: number;
  /** Run the trap stealth audit in the cycle (off by default: it is a worker's fixed cost). */
  stealth: boolean;
}

export interface CellResult {
  miners: number;
  alerts: number;
  encoding: CellEncoding;
  /**
   * Generating the synthetic batch and writing it as a batch folder, before the cycle, in the fake
   * miners' process; the cycle reads the folder as a production validator reads `--batch.dir`.
   */
  generateMs: number;
  /** Building the fake miners' copy of the request, before the cycle, in their own process. */
  trapsMs: number;
  wallMs: number;
  /**
   * CPU the validator process spent in the cycle (user + system, its worker threads included):
   * less sensitive than wall time to the other jobs on a shared machine.
   */
  cpuMs: number;
  /** Peak RSS of the validator process (the cycle, reading its batch from the folder included). */
  rssMb: number;
  /** RSS when the cycle started: the process itself, before it reads the batch. */
  rssBeforeMb: number;
  passed: number;
  weights: string;
  /** Bytes the miners' sockets read (requests) and wrote (answers), headers included. */
  bytesSent: number;
  bytesReceived: number;
  /** Each miner's round trip as the dendrite measured it. */
  latenciesMs: number[];
  steps: Array<[string, number]>;
  timings: Record<string, number>;
  /** Largest RSS and heap used in each cycle phase (sampled every 50 ms), MB. */
  phasePeaks: Record<string, { rssMb: number; heapMb: number }>;
}

export function runCell(options: CellOptions): Promise<CellResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, ['run', JSON.stringify(options)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      const cell = `${options.miners}×${options.alerts} ${options.encoding}`;
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`cell ${cell} exited ${code}`));
      else resolve(JSON.parse(line) as CellResult);
    });
  });
}

/** The q-quantile (0..1) of xs, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** Prints rows as an aligned markdown table. */
export function printTable(head: readonly string[], rows: readonly string[][]): void {
  const width = head.map((_, i) => Math.max(3, ...[head, ...rows].map((row) => row[i].length)));
  const line = (row: readonly string[]) => `| ${row.map((c, i) => c.padEnd(width[i])).join(' | ')} |`;
  process.stdout.write(`${line(head)}\n${line(width.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}
