/**
 * Trap stealth against the foreign producer (docs/validator.md, "Stealth audit"): pools built on
 * foreign batches, from bank material of the producer's previous day (one style across days, as
 * one upstream keeps its formats) and from synthetic material, are audited; and bank traps must
 * keep their source alert's signal, so tier 2 still pays for ranking them.
 *
 * Bank material comes from alerts the source day withheld from miners, as the validator banks it.
 * On these 1 000-alert batches synthetic traps audit at 0.59 (mean of the three seeds), bank
 * traps at 0.64 (over 12 seeds of 1 500 alerts both are near the 0.6 target: docs/validator.md);
 * the bounds guard against regressions.
 */
import { describe, expect, it } from 'vitest';
import type { Batch } from '../../data/batch.js';
import { train } from '../../gbdt/boosting/gbdt.js';
import { auc } from '../../gbdt/metric/auc.js';
import { predictRawBatch } from '../../gbdt/predict/index.js';
import { Rng } from '../../random.js';
import { bankMaterial, cycleRequest, foreignDay as foreignDayOf } from './foreign-days.test-support.js';
import { alertTruthByLabel } from './material.js';
import { minerView } from './miner-view.js';
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

const pooledAuc = (xs: readonly { score: number; truth: number }[]) =>
  auc(
    Float64Array.from(xs, (x) => x.score),
    Float64Array.from(xs, (x) => x.truth),
  );

const audit = (req: CycleRequest, seed: number) =>
  auditTrapStealth(req.batch, new Set(req.trapTruth.keys()), { seed, realsPerTrap: 12 }).auc;

/** Feature-row and alert columns of a batch's miner view, one row per alert. */
function signalView(batch: Batch) {
  const view = minerView(batch);
  const keep = view.names.flatMap((n, j) =>
    n.startsWith('f.') || n === 'volume_usd' || n === 'alert_confidence_score' ? [j] : [],
  );
  return {
    names: keep.map((j) => view.names[j]),
    row: (i: number) => Float64Array.from(keep, (j) => view.values[i * view.names.length + j]),
  };
}

/**
 * A GBDT trained on the labelled real alerts of the request (traps left out) scores held-out real
 * alerts (`real`: their AUC) and the traps (`traps`: each score as a rank among the held-out
 * scores, so seeds with their own models can be pooled).
 */
function rankTraps(today: ReturnType<typeof foreignDay>, req: CycleRequest, seed: number) {
  const truthOfReal = alertTruthByLabel(today.batch, today.labels);
  const view = signalView(req.batch);
  const reals: { i: number; y: number }[] = [];
  req.batch.alerts.forEach((a, i) => {
    if (req.trapTruth.has(a.alert_id)) return;
    const y = truthOfReal[req.origin[i].index];
    if (y !== undefined) reals.push({ i, y });
  });
  new Rng(seed, 'signal').shuffle(reals);
  const cut = Math.floor(reals.length * 0.6);
  const matrix = (rows: number[]) => {
    const out = new Float64Array(rows.length * view.names.length);
    rows.forEach((r, k) => {
      out.set(view.row(r), k * view.names.length);
    });
    return out;
  };
  const trainRows = reals.slice(0, cut);
  const { model } = train(
    {
      features: matrix(trainRows.map((x) => x.i)),
      numRows: trainRows.length,
      featureNames: view.names,
      label: Float64Array.from(trainRows, (x) => x.y),
    },
    {
      objective: 'binary',
      num_iterations: 60,
      learning_rate: 0.1,
      num_leaves: 15,
      min_data_in_leaf: 10,
      feature_fraction: 0.8,
      lambda_l2: 1,
      seed,
      verbosity: -1,
    },
  );
  const held = reals.slice(cut);
  const heldScores = predictRawBatch(model, matrix(held.map((x) => x.i)), held.length);
  const real = auc(
    heldScores,
    Float64Array.from(held, (x) => x.y),
  );
  const trapRows = req.batch.alerts.flatMap((a, i) => (req.trapTruth.has(a.alert_id) ? [i] : []));
  const trapScores = predictRawBatch(model, matrix(trapRows), trapRows.length);
  const rank = (s: number) => heldScores.filter((h) => h < s).length / heldScores.length;
  const traps = trapRows.map((i, k) => ({
    score: rank(trapScores[k]),
    truth: req.trapTruth.get(req.batch.alerts[i].alert_id)!,
  }));
  return { real, traps };
}

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
    const model: { score: number; truth: number }[] = [];
    const confidence: { score: number; truth: number }[] = [];
    const confidenceOnReals: number[] = [];
    for (const seed of SEEDS) {
      const { today, req } = syntheticCase(seed);
      model.push(...rankTraps(today, req, seed).traps);
      const truthOfReal = alertTruthByLabel(today.batch, today.labels);
      const reals: { score: number; truth: number }[] = [];
      req.batch.alerts.forEach((a, i) => {
        const score = Number.isNaN(a.alert_confidence_score) ? 0 : a.alert_confidence_score;
        const trap = req.trapTruth.get(a.alert_id);
        if (trap !== undefined) confidence.push({ score, truth: trap });
        else {
          const y = truthOfReal[req.origin[i].index];
          if (y !== undefined) reals.push({ score, truth: y });
        }
      });
      confidenceOnReals.push(pooledAuc(reals));
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
    const onTraps: { score: number; truth: number }[] = [];
    for (const seed of SEEDS) {
      const { today, req } = bankCase(seed);
      const ranked = rankTraps(today, req, seed);
      onReals.push(ranked.real);
      onTraps.push(...ranked.traps);
    }
    const real = onReals.reduce((s, v) => s + v, 0) / onReals.length;
    const trap = auc(
      Float64Array.from(onTraps, (t) => t.score),
      Float64Array.from(onTraps, (t) => t.truth),
    );
    expect(real).toBeGreaterThan(0.8);
    expect(trap).toBeGreaterThan(real - 0.1);
  });
});
