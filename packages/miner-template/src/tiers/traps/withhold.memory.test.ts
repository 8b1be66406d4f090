/**
 * The memory attack (docs/validator.md, "Withheld alerts"), kept as a test: a miner that kept the
 * batch a bank trap came from finds the trap by its nearest old row in rank space, unless the
 * trap's source alert was withheld from that batch. Foreign producer, 1 000-alert days.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../random.js';
import { bankMaterial, cycleRequest, foreignDay } from './foreign-days.test-support.js';
import { memoryAttackAuc } from './memory-attack.js';
import { poolSize, trapsPerCycle } from './pool.js';
import { chooseWithheld, withholdAlerts } from './withhold.js';

const ALERTS = 1000;
const SEEDS = [1, 2, 3];

function attack(seed: number, withhold: boolean): number {
  const source = foreignDay(1000 + seed, '2026-03-09', ALERTS, seed);
  const today = foreignDay(2000 + seed, '2026-03-10', ALERTS, seed);
  const size = poolSize(trapsPerCycle(today.batch.alerts.length));
  // Withheld: a pool's worth of alerts never sent; the miner's memory is the batch without them.
  const withheld = withhold ? chooseWithheld(source.batch, size, new Rng(seed, 'withhold')) : [];
  const material = bankMaterial(
    source.batch,
    source.labels,
    size,
    seed,
    withhold ? new Set(withheld) : undefined,
  );
  const req = cycleRequest(today.batch, material, seed);
  const memory = withholdAlerts(source.batch, withheld);
  return memoryAttackAuc(req.batch, new Set(req.trapTruth.keys()), [memory]);
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('memory attack on bank traps', () => {
  it('finds traps made from alerts the miner was sent', () => {
    const aucs = SEEDS.map((s) => attack(s, false));
    expect(Math.min(...aucs)).toBeGreaterThan(0.9);
  }, 120_000);

  it('finds traps made from withheld alerts no better than the stealth target', () => {
    const aucs = SEEDS.map((s) => attack(s, true));
    expect(mean(aucs)).toBeLessThanOrEqual(0.62);
    expect(Math.max(...aucs)).toBeLessThanOrEqual(0.7);
  }, 120_000);
});
