/**
 * Trap stealth against the foreign producer (docs/validator.md, "Stealth audit"): pools built on
 * foreign batches, from bank material of the producer's previous day (one style across days, as
 * one upstream keeps its formats) and from synthetic material, are audited; and traps must keep a
 * signal (trap-signal.test-support.ts), so tier 2 still pays for ranking them.
 *
 * Bank material comes from alerts the source day withheld from miners, as the validator banks it.
 * On these 1 000-alert batches synthetic traps audit at 0.59 (mean of the three seeds), bank
 * traps at 0.64 (over 12 seeds of 1 500 alerts both are near the 0.6 target: docs/validator.md);
 * the bounds guard against regressions.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../random.js';
import { bankMaterial, cycleRequest, foreignDay as foreignDayOf } from './foreign-days.test-support.js';
import {
  assembleRequest,
  buildTrapPool,
  type CycleRequest,
  planCycle,
  poolSize,
  trapsPerCycle,
} from './pool.js';
import { auditTrapStealth } from './stealth.js';
import { syntheticMaterial } from './synthetic-material.js';
import { confidenceOnTraps, pooledAuc, rankTraps, type Scored } from './trap-signal.test-support.js';
import { chooseWithheld, withheldCount } from './withhold.js';

const ALERTS = 1000;
const SEEDS = [1, 2, 3];

function foreignDay(seed: number, date: string, styleSeed: number) {
  return foreignDayOf(seed, date, ALERTS, styleSeed);
}

const request = cycleRequest;

const bankCases = new Map<number, ReturnType<typeof buildBankCase>>();
const bankCase = (seed: number) => {
  if (!bankCases.has(seed)) bankCases.set(seed, buildBankCase(seed));
  return bankCases.get(seed)!;
};

function buildBankCase(seed: number) {
  const source = foreignDay(1000 + seed, '2026-03-09', seed);
  const today = foreignDay(2000 + seed, '2026-03-10', seed);
  const size = poolSize(trapsPerCycle(today.batch.alerts.length));
  // As the validator banks them: only alerts the source day withheld from miners.
  const withheld = new Set(
    chooseWithheld(source.batch, withheldCount(source.batch.alerts.length, size), new Rng(seed, 'withhold')),
  );
  const req = request(today.batch, bankMaterial(source.batch, source.labels, size, seed, withheld), seed);
  return { source, today, req };
}

const audit = (req: CycleRequest, seed: number) =>
  auditTrapStealth(req.batch, new Set(req.trapTruth.keys()), { seed, realsPerTrap: 12 }).auc;

const syntheticCases = new Map<string, ReturnType<typeof buildSyntheticCase>>();
const syntheticCase = (seed: number) => {
  const key = String(seed);
  if (!syntheticCases.has(key)) syntheticCases.set(key, buildSyntheticCase(seed));
  return syntheticCases.get(key)!;
};

function buildSyntheticCase(seed: number) {
  const today = foreignDay(3000 + seed, '2026-03-10', seed);
  const perCycle = trapsPerCycle(today.batch.alerts.length);
  const materials = syntheticMaterial(today.batch, {
    seed,
    count: poolSize(perCycle),
    positiveRate: today.positiveRate,
  });
  const pool = buildTrapPool(
    today.batch,
    materials.map((material) => ({ material })),
    seed,
  );
  return { today, req: assembleRequest(today.batch, pool, planCycle(today.batch, pool, { seed, perCycle })) };
}

describe('trap stealth on the foreign producer', () => {
  it('bank traps of the previous day stay hard to find (mean AUC <= 0.75, each <= 0.8)', () => {
    const aucs = SEEDS.map((seed) => audit(bankCase(seed).req, seed));
    const mean = aucs.reduce((s, v) => s + v, 0) / aucs.length;
    expect(Math.max(...aucs)).toBeLessThanOrEqual(0.8);
    expect(mean).toBeLessThanOrEqual(0.75);
  }, 600_000);

  it('synthetic traps stay hard to find (mean AUC <= 0.65, each <= 0.75)', () => {
    const aucs = SEEDS.map((seed) => audit(syntheticCase(seed).req, seed));
    const mean = aucs.reduce((s, v) => s + v, 0) / aucs.length;
    expect(Math.max(...aucs)).toBeLessThanOrEqual(0.75);
    expect(mean).toBeLessThanOrEqual(0.65);
  }, 600_000);

  // A synthetic trap is a real alert the batch lends (never sent), so a model of real alerts
  // ranks it by that alert's row; its truth is the synthetic world's risk there.
  it('synthetic traps keep a signal, and the upstream confidence gets no edge on them', () => {
    const model: Scored[] = [];
    const confidence: Scored[] = [];
    const confidenceOnReals: number[] = [];
    for (const seed of SEEDS) {
      const { today, req } = syntheticCase(seed);
      model.push(...rankTraps(today, req, seed).traps);
      const reference = confidenceOnTraps(today, req);
      confidence.push(...reference.traps);
      confidenceOnReals.push(reference.realAuc);
    }
    const onReals = confidenceOnReals.reduce((s, v) => s + v, 0) / confidenceOnReals.length;
    // 0.61 here (0.71 pooled over 6 seeds of 1 500 alerts); real alerts rank at ~0.9, bank traps alike
    expect(pooledAuc(model)).toBeGreaterThan(0.58);
    // Written from the synthetic alert's own confidence (as traps once were), the reference
    // ranked synthetic traps at 0.77 against 0.58 on real alerts: paid for our world, not skill.
    expect(pooledAuc(confidence)).toBeLessThan(onReals + 0.08);
  }, 600_000);

  it('bank traps keep their signal: a model of the real alerts ranks them about as well as real alerts', () => {
    const onReals: number[] = [];
    const onTraps: Scored[] = [];
    for (const seed of SEEDS) {
      const { today, req } = bankCase(seed);
      const ranked = rankTraps(today, req, seed);
      onReals.push(ranked.real);
      onTraps.push(...ranked.traps);
    }
    const real = onReals.reduce((s, v) => s + v, 0) / onReals.length;
    const trap = pooledAuc(onTraps);
    expect(real).toBeGreaterThan(0.8);
    expect(trap).toBeGreaterThan(real - 0.1);
  });
});
