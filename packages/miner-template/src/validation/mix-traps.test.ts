import { describe, expect, it } from 'vitest';
import { generateBatch } from '../synthetic/generate.js';
import { generateTraps } from '../synthetic/traps.js';
import { mixTraps, stripTraps } from './mix-traps.js';

describe('mixTraps', () => {
  const { batch } = generateBatch({ date: '2026-01-01', alerts: 200, seed: 3 });
  const traps = generateTraps({ seed: 9, count: 20, date: '2026-01-01', network: 'torus', template: batch });

  it('adds every trap once, keeps every real alert, and spreads traps through the list', () => {
    const mixed = mixTraps(batch, traps, 1);
    expect(mixed.batch.alerts).toHaveLength(batch.alerts.length + traps.alerts.length);
    expect(new Set(mixed.batch.alerts.map((a) => a.alert_id)).size).toBe(mixed.batch.alerts.length);
    const positions = mixed.batch.alerts.flatMap((a, i) => (mixed.trapIds.has(a.alert_id) ? [i] : []));
    expect(positions).toHaveLength(traps.alerts.length);
    // shuffled in: not all traps at the end
    expect(Math.min(...positions)).toBeLessThan(batch.alerts.length);
    expect([...mixed.truth.keys()].sort()).toEqual(traps.alerts.map((a) => a.alert_id).sort());
  });

  it('gives every trap address a features row with the trap values', () => {
    const mixed = mixTraps(batch, traps, 1);
    const row = new Map(mixed.batch.features.address.map((a, i) => [a, i]));
    const degree = mixed.batch.features.columns.get('degree_in')!;
    traps.features.address.forEach((a, i) => {
      expect(row.has(a)).toBe(true);
      if (!batch.features.address.includes(a))
        expect(degree[row.get(a)!]).toBe(traps.features.columns.get('degree_in')![i]);
    });
  });

  it('is deterministic in the seed and strips back to the real alerts', () => {
    const a = mixTraps(batch, traps, 5);
    const b = mixTraps(batch, traps, 5);
    expect(a.batch.alerts.map((x) => x.alert_id)).toEqual(b.batch.alerts.map((x) => x.alert_id));
    expect(
      stripTraps(a.batch, a.trapIds)
        .alerts.map((x) => x.alert_id)
        .sort(),
    ).toEqual(batch.alerts.map((x) => x.alert_id).sort());
  });
});
