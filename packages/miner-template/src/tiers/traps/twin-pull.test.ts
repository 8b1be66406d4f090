/**
 * The twin attack on bank traps (docs/validator.md, "Tells found by distribution"): one real
 * alert row in ten has a near twin in its batch, and so had the sources of bank traps, but a
 * trap's twin stays in its source day. Without the pull, traps whose source had a twin sat far
 * from every row of the request, and the audit's `row.nearest_other` was its top tell.
 */
import { describe, expect, it } from 'vitest';
import { bankMaterial, cycleRequest, foreignDay } from './foreign-days.test-support.js';
import type { TrapMaterial } from './material.js';
import { nearestOtherRowDistances } from './memory-attack.js';
import { TWIN_DISTANCE } from './twin-pull.js';

const SEEDS = [1, 2, 3, 4];

/** For the traps whose source had a near twin: their rank distance to the nearest other row. */
function twinTrapDistances(materials: (seed: number) => TrapMaterial[], pull: boolean) {
  const out: number[] = [];
  for (const seed of SEEDS) {
    const today = foreignDay(2000 + seed, '2026-03-10', 1000, seed);
    const given = materials(seed);
    const used = pull ? given : given.map((m) => ({ ...m, nearestOther: undefined }));
    const req = cycleRequest(today.batch, used, seed);
    const twins = req.origin.flatMap((o, k) =>
      o.kind === 'trap' && (given[o.index].nearestOther ?? 1) < TWIN_DISTANCE ? [k] : [],
    );
    out.push(...nearestOtherRowDistances(req.batch, twins));
  }
  return out;
}

describe('twin pull', () => {
  const source = new Map<number, TrapMaterial[]>();
  const materials = (seed: number) => {
    if (!source.has(seed)) {
      const day = foreignDay(1000 + seed, '2026-03-09', 1000, seed);
      source.set(seed, bankMaterial(day.batch, day.labels, 120, seed));
    }
    return source.get(seed)!;
  };

  it('records how near a bank source sat to its nearest other row', () => {
    const all = SEEDS.flatMap(materials);
    const twins = all.filter((m) => (m.nearestOther ?? 1) < TWIN_DISTANCE);
    // About one real row in ten has a near twin (between 4 % and 25 % of sources here).
    expect(twins.length).toBeGreaterThan(0.04 * all.length);
    expect(twins.length).toBeLessThan(0.25 * all.length);
    expect(all.every((m) => m.nearestOther === undefined || m.nearestOther >= 0)).toBe(true);
  });

  it('a trap whose source had a near twin has one in the request', () => {
    const pulled = twinTrapDistances(materials, true);
    expect(pulled.length).toBeGreaterThanOrEqual(8);
    const near = pulled.filter((d) => d < TWIN_DISTANCE).length / pulled.length;
    expect(near).toBeGreaterThan(0.7);
  }, 120_000);

  it('without the pull (material of a store from before it) the same traps sit alone', () => {
    // The attack the pull answers: the same traps, conformed without their sources' distances.
    const alone = twinTrapDistances(materials, false);
    expect(alone.length).toBeGreaterThanOrEqual(8);
    const near = alone.filter((d) => d < TWIN_DISTANCE).length / alone.length;
    expect(near).toBeLessThan(0.3);
  }, 120_000);
});
