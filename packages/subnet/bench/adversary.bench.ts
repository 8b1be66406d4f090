/**
 * The adversary week (plain script: `node --import tsx bench/adversary.bench.ts`): the real
 * validator cycle over seven days of hourly cycles on foreign-producer batches, with the whole
 * population of test/validator/support/adversary-population.ts (two honest models and seven
 * miners without skill). Prints each miner's share of the chain weights and of the ensemble, over
 * the whole week and after the first settled batch date, how often it was judged a copy, its
 * final performance, and the per-day stealth audit of the traps. Targets (docs/validator.md):
 * every no-skill adversary ≤ 2 % of both; the honest pair takes the rest.
 *
 *   BENCH_DAYS=7 BENCH_CYCLES_PER_DAY=24 BENCH_ALERTS=1000 BENCH_TAU_DAYS=1 \
 *     node --import tsx bench/adversary.bench.ts
 */
import { loadavg } from 'node:os';
import { adversaryPopulation } from '../test/validator/support/adversary-population.js';
import { formatSimTable, simulate } from '../test/validator/support/adversary-sim.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const days = env('BENCH_DAYS', 7);
const cyclesPerDay = env('BENCH_CYCLES_PER_DAY', 24);
const alerts = env('BENCH_ALERTS', 1000);
const tauDays = env('BENCH_TAU_DAYS', 1);
const styleSeed = process.env.BENCH_STYLE === 'varying' ? null : env('BENCH_STYLE_SEED', 1);

const started = Date.now();
const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
const population = adversaryPopulation({ trainAlerts: env('BENCH_TRAIN_ALERTS', 1500) });
const result = await simulate(population, {
  days,
  cyclesPerDay,
  alerts,
  tauDays,
  stealthAudit: true,
  styleSeed,
  onCycle: (day, cycle, note) => {
    if (cycle === 0) process.stderr.write(`day ${day + 1}/${days}: ${note}\n`);
  },
});
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
process.stdout.write(
  `${days} days × ${cyclesPerDay} cycles, ${alerts} alerts per batch, τ = ${tauDays} d, producer style ${
    styleSeed === null ? 'varying by day' : `fixed (seed ${styleSeed})`
  }; ${result.bootstrapCycles} of ${result.cycles} cycles before the first settlement; ` +
    `${result.fallbackCycles} fallback cycles\n\n${formatSimTable(result)}\n\n` +
    `stealth audit AUC per day: ${result.stealthAuc.map((a) => a.toFixed(3)).join(', ')} (mean ${mean(result.stealthAuc).toFixed(3)}); ` +
    `traps from the bank per day: ${result.trapsFromBank.join(', ')}\n` +
    `wall ${((Date.now() - started) / 1000).toFixed(0)} s, load average at start ${load}\n`,
);
const failures = result.miners.filter((m) => !m.honest && (m.chainShare > 0.02 || m.ensembleShare > 0.02));
if (failures.length > 0)
  process.stdout.write(`over the 2 % target: ${failures.map((m) => m.name).join(', ')}\n`);
