import { describe, expect, it } from 'vitest';
import { AlertSchema } from '../schemas/alert.js';
import { generateBatch } from './generate.js';
import { generateTraps } from './traps.js';

describe('generateTraps', () => {
  const template = generateBatch({ date: '2026-01-01', alerts: 400, seed: 21 }).batch;
  const traps = generateTraps({ seed: 5, count: 20, date: '2026-01-01', network: 'torus', template });

  it('returns both classes with known truth, in the batch alert format', () => {
    expect(traps.alerts).toHaveLength(20);
    const values = [...traps.truth.values()];
    expect(values.filter((v) => v === 1)).toHaveLength(10);
    expect(values.filter((v) => v === 0)).toHaveLength(10);
    for (const a of traps.alerts) {
      AlertSchema.parse(a);
      expect(traps.truth.has(a.alert_id)).toBe(true);
      expect(a.alert_id).toMatch(/^alert_torus_2026-01-01_\d{6}$/);
      expect(a.address).toMatch(/^5[1-9A-HJ-NP-Za-km-z]{47}$/);
      expect(a.processing_date).toBe(template.key.processing_date);
      expect(a.window_days).toBe(template.key.window_days);
    }
  });

  it('never collides with the template and ships the features and flows it needs', () => {
    const ids = new Set(template.alerts.map((a) => a.alert_id));
    const addresses = new Set(template.features.address);
    for (const a of traps.alerts) {
      expect(ids.has(a.alert_id)).toBe(false);
      expect(addresses.has(a.address)).toBe(false);
    }
    // trap ids fall inside the template's numbering (its gaps), not all after its last id
    const max = Math.max(...template.alerts.map((a) => Number(a.alert_id.split('_').pop())));
    expect(traps.alerts.some((a) => Number(a.alert_id.split('_').pop()) < max)).toBe(true);
    const rows = new Set(traps.features.address);
    for (const a of traps.alerts) expect(rows.has(a.address)).toBe(true);
    expect([...traps.features.columns.keys()]).toEqual([...template.features.columns.keys()]);
    for (const f of traps.flows) expect(rows.has(f.from_address) && rows.has(f.to_address)).toBe(true);
  });

  it('rejects a bad count', () => {
    for (const count of [0, -1, 2.5]) {
      expect(() => generateTraps({ seed: 1, count, date: '2026-01-01', network: 'torus' })).toThrow(
        /trap count/,
      );
    }
  });

  it('is deterministic per seed and different across seeds', () => {
    const again = generateTraps({ seed: 5, count: 20, date: '2026-01-01', network: 'torus', template });
    expect(again.alerts).toEqual(traps.alerts);
    const other = generateTraps({ seed: 6, count: 20, date: '2026-01-01', network: 'torus', template });
    expect(other.alerts.map((a) => a.address)).not.toEqual(traps.alerts.map((a) => a.address));
  });
});
