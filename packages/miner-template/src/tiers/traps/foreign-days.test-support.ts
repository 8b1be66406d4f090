/**
 * Test support for trap tests on the foreign producer: a producer's day (one format style across
 * days, as one upstream keeps its formats), bank material from a settled day, and one cycle's
 * request built the way the validator builds it.
 */
import type { Batch } from '../../data/batch.js';
import { generateForeignBatch } from '../../foreign/index.js';
import { Rng } from '../../random.js';
import {
  alertTruthByLabel,
  extractMaterial,
  materialContext,
  pickByAddress,
  type TrapMaterial,
} from './material.js';
import { assembleRequest, buildTrapPool, type CycleRequest, planCycle, trapsPerCycle } from './pool.js';

export function foreignDay(seed: number, date: string, alerts: number, styleSeed: number) {
  const style = generateForeignBatch({ seed: styleSeed, date: '2026-01-01', alerts: 5 }).style;
  return generateForeignBatch({ seed, date, network: 'torus', windowDays: 7, alerts, style });
}

/** Bank material: labelled alerts of `source` (only those in `among`, when given), whole address groups. */
export function bankMaterial(
  source: Batch,
  labels: Parameters<typeof alertTruthByLabel>[1],
  count: number,
  seed: number,
  among?: ReadonlySet<string>,
): TrapMaterial[] {
  const truth = alertTruthByLabel(source, labels);
  const labelled = source.alerts
    .map((_, i) => i)
    .filter((i) => truth[i] !== undefined && (among === undefined || among.has(source.alerts[i].alert_id)));
  const rng = new Rng(seed, 'bank');
  const chosen = pickByAddress(source.alerts, labelled, count, (xs) => rng.shuffle(xs));
  const ctx = materialContext(source);
  return chosen.map((i) => extractMaterial(ctx, i, truth[i]!, 'bank'));
}

export function cycleRequest(batch: Batch, materials: readonly TrapMaterial[], seed: number): CycleRequest {
  const pool = buildTrapPool(
    batch,
    materials.map((material) => ({ material })),
    seed,
  );
  return assembleRequest(
    batch,
    pool,
    planCycle(batch, pool, { seed, perCycle: trapsPerCycle(batch.alerts.length) }),
  );
}
