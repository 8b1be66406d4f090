import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateForeignBatch } from '../../foreign/index.js';
import { Rng } from '../../random.js';
import { chooseWithheld, withheldCount, withholdAlerts } from './withhold.js';

const day = generateForeignBatch({
  seed: 7,
  date: '2026-03-09',
  network: 'torus',
  windowDays: 7,
  alerts: 400,
});
const batch = day.batch;

describe('withheldCount', () => {
  it('is a pool with a quarter of headroom, capped at 5 % of the batch', () => {
    expect(withheldCount(10_000, 223)).toBe(279);
    expect(withheldCount(1_000, 56)).toBe(50);
    expect(withheldCount(1_000, 56, 0)).toBe(0);
  });
});

describe('withholdAlerts', () => {
  it('returns the batch itself when nothing is withheld', () => {
    expect(withholdAlerts(batch, [])).toBe(batch);
  });

  it('removes whole address groups with their rows, flows and cluster places, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (count, seed) => {
          const ids = chooseWithheld(batch, count, new Rng(seed, 'w'));
          const idSet = new Set(ids);
          const gone = new Set(batch.alerts.filter((a) => idSet.has(a.alert_id)).map((a) => a.address));
          const sent = withholdAlerts(batch, ids);
          // Whole groups: no alert left on a withheld address.
          expect(sent.alerts.some((a) => gone.has(a.address))).toBe(false);
          expect(sent.alerts.length).toBe(batch.alerts.length - ids.length);
          expect(sent.alerts).toEqual(batch.alerts.filter((a) => !idSet.has(a.alert_id)));
          expect(sent.features.address.some((a) => gone.has(a))).toBe(false);
          expect(sent.features.address).toEqual(batch.features.address.filter((a) => !gone.has(a)));
          // Kept rows keep every cell (NaN included).
          for (const [name, values] of sent.features.columns) {
            const source = batch.features.columns.get(name)!;
            const kept = batch.features.address.flatMap((a, i) => (gone.has(a) ? [] : [source[i]]));
            expect(Array.from(values)).toEqual(kept);
          }
          expect(sent.money_flows).toEqual(
            batch.money_flows.filter((f) => !gone.has(f.from_address) && !gone.has(f.to_address)),
          );
          for (const c of sent.clusters) {
            expect(c.primary_alert_id === undefined || !idSet.has(c.primary_alert_id)).toBe(true);
            expect(c.related_alert_ids.some((id) => idSet.has(id))).toBe(false);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('keeps a cluster total consistent with the alerts it still names', () => {
    const cluster = batch.clusters.find(
      (c) => c.related_alert_ids.length >= 2 && c.total_alerts === c.related_alert_ids.length,
    );
    if (!cluster) throw new Error('the foreign producer made no cluster of two alerts with a total');
    const victim = cluster.related_alert_ids.find((id) => id !== cluster.primary_alert_id)!;
    const address = batch.alerts.find((a) => a.alert_id === victim)!.address;
    const group = batch.alerts.filter((a) => a.address === address).map((a) => a.alert_id);
    if (group.includes(cluster.primary_alert_id ?? '')) return;
    const sent = withholdAlerts(batch, group);
    const after = sent.clusters.find((c) => c.cluster_id === cluster.cluster_id)!;
    expect(after.total_alerts).toBe(after.related_alert_ids.length);
  });
});
