/**
 * The adversary simulation, small: the real validator cycle (SQLite store, LocalChain) over three
 * days of foreign-producer batches with the whole population of adversary-population.ts. Every
 * miner without skill must earn nothing once a batch date has settled, and the no-skill miners
 * that do not touch traps nothing at all; the two honest models take the rest, are never judged
 * copies of each other, and the better one gets more. The week-long version is
 * bench/adversary.bench.ts (figures in docs/validator.md and BENCHMARKS.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { adversaryPopulation } from './support/adversary-population.js';
import { formatSimTable, type SimResult, simulate } from './support/adversary-sim.js';

const TARGET = 0.02;
/** Attacks that need traps: before any label settles, traps are the only evidence there is. */
const TRAP_ATTACKS = new Set(['trap-spotter', 'trap-oracle']);

let result: SimResult;
beforeAll(async () => {
  result = await simulate(adversaryPopulation({ trainAlerts: 800 }), {
    days: 3,
    cyclesPerDay: 2,
    alerts: 400,
    tauDays: 1,
  });
  process.stdout.write(`${formatSimTable(result)}\n`);
}, 600_000);

describe('adversary simulation through the real validator', () => {
  it('runs cycles both before and after the first settlement', () => {
    expect(result.cycles).toBe(6);
    expect(result.bootstrapCycles).toBeGreaterThan(0);
    expect(result.bootstrapCycles).toBeLessThan(result.cycles);
    expect(result.fallbackCycles).toBe(0);
  });

  it('pays no miner without skill once labels have settled', () => {
    for (const m of result.miners.filter((x) => !x.honest)) {
      expect(m.chainShareSettled, `${m.name} chain`).toBeLessThanOrEqual(TARGET);
      expect(m.ensembleShareSettled, `${m.name} ensemble`).toBeLessThanOrEqual(TARGET);
    }
  });

  it('pays random, near-constant, copying and replaying miners nothing at any time', () => {
    for (const m of result.miners.filter((x) => !x.honest && !TRAP_ATTACKS.has(x.name))) {
      expect(m.chainShare, `${m.name} chain`).toBeLessThanOrEqual(TARGET);
      expect(m.ensembleShare, `${m.name} ensemble`).toBeLessThanOrEqual(TARGET);
    }
  });

  it('judges every copy a copy and never an honest model', () => {
    const byName = new Map(result.miners.map((m) => [m.name, m]));
    expect(byName.get('copier')!.copyCycles).toBe(result.cycles);
    expect(byName.get('monotone')!.copyCycles).toBe(result.cycles);
    expect(byName.get('good')!.copyCycles).toBe(0);
    expect(byName.get('second')!.copyCycles).toBe(0);
  });

  it('gives the honest models the rest, the better one more', () => {
    const good = result.miners.find((m) => m.name === 'good')!;
    const second = result.miners.find((m) => m.name === 'second')!;
    expect(good.chainShareSettled + second.chainShareSettled).toBeGreaterThanOrEqual(1 - 1e-9);
    expect(good.finalPerf).toBeGreaterThan(result.referencePerf);
    expect(second.finalPerf).toBeGreaterThan(result.referencePerf);
    const [better, worse] = good.finalPerf >= second.finalPerf ? [good, second] : [second, good];
    expect(better.chainShareSettled).toBeGreaterThan(worse.chainShareSettled);
  });
});
