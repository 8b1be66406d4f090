/**
 * Random small batches checked against brute-force references written independently of the
 * builders (plain scans over the rows, Sets instead of CSR and stamps).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchRequestInput } from '../schemas/batch.js';
import { buildAlertFeatures } from './alert-features.js';
import { matrixColumn } from './matrix.js';
import { makeBatch } from './test-batch.test-support.js';

const POOL = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const address = fc.constantFrom(...POOL);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const batchArb = fc
  .record({
    alerts: fc.array(
      fc.record({
        address,
        volume_usd: maybe(fc.integer({ min: 0, max: 1000 })),
        alert_confidence_score: maybe(fc.constantFrom(0, 0.25, 0.5, 0.75, 1)),
        typology_type: fc.constantFrom('layering', 'fan_in', 'cycle', 'odd'),
      }),
      { minLength: 1, maxLength: 12 },
    ),
    flows: fc.array(
      fc.record({
        from_address: address,
        to_address: address,
        amount_usd_sum: maybe(fc.integer({ min: 0, max: 500 })),
      }),
      { maxLength: 20 },
    ),
    clusterPicks: fc.array(fc.array(fc.nat(20), { maxLength: 4 }), { maxLength: 4 }),
  })
  .map(({ alerts, flows, clusterPicks }): BatchRequestInput => {
    const withIds = alerts.map((a, i) => ({ ...a, alert_id: `A${i}` }));
    return {
      alerts: withIds,
      features: [{ address: 'p0', degree_in: 1 }],
      money_flows: flows,
      clusters: clusterPicks.map((picks, c) => ({
        cluster_id: `C${c}`,
        related_alert_ids: [...new Set(picks.map((p) => `A${p % withIds.length}`))],
      })),
    };
  });

function referenceFlows(input: BatchRequestInput, addr: string) {
  const flows = (input.money_flows ?? []).filter((f) => f.from_address !== f.to_address);
  const amount = (f: (typeof flows)[number]) => Number(f.amount_usd_sum ?? 0);
  const inFrom = new Set(flows.filter((f) => f.to_address === addr).map((f) => f.from_address));
  const outTo = new Set(flows.filter((f) => f.from_address === addr).map((f) => f.to_address));
  const cps = new Set([...inFrom, ...outTo]);
  const pairUsd = (u: string) =>
    flows
      .filter(
        (f) =>
          (f.from_address === addr && f.to_address === u) || (f.to_address === addr && f.from_address === u),
      )
      .reduce((s, f) => s + amount(f), 0);
  const inUsd = flows.filter((f) => f.to_address === addr).reduce((s, f) => s + amount(f), 0);
  const outUsd = flows.filter((f) => f.from_address === addr).reduce((s, f) => s + amount(f), 0);
  const alerted = new Set(input.alerts.map((a) => a.address));
  const alertedCps = [...cps].filter((u) => alerted.has(u));
  const maxPair = Math.max(0, ...[...cps].map(pairUsd));
  return {
    flow_in_degree: inFrom.size,
    flow_out_degree: outTo.size,
    flow_counterparty_count: cps.size,
    flow_in_usd: inUsd,
    flow_out_usd: outUsd,
    flow_reciprocity:
      cps.size === 0 ? Number.NaN : [...cps].filter((u) => inFrom.has(u) && outTo.has(u)).length / cps.size,
    flow_alerted_counterparty_count: alertedCps.length,
    flow_alerted_counterparty_usd: alertedCps.reduce((s, u) => s + pairUsd(u), 0),
    flow_max_pair_usd_share: inUsd + outUsd > 0 ? maxPair / (inUsd + outUsd) : Number.NaN,
  };
}

function expectNear(actual: number, expected: number, label: string): void {
  if (Number.isNaN(expected)) expect(actual, label).toBeNaN();
  else expect(Math.abs(actual - expected), label).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
}

describe('buildAlertFeatures against brute-force references', () => {
  it('flow, cluster-count and same-address features', () => {
    fc.assert(
      fc.property(batchArb, (input) => {
        const m = buildAlertFeatures(makeBatch(input));
        const col = (name: string) => matrixColumn(m, name)!;
        input.alerts.forEach((alert, r) => {
          const refFlows = referenceFlows(input, alert.address);
          if ((input.money_flows ?? []).length > 0) {
            for (const [name, value] of Object.entries(refFlows))
              expectNear(col(name)[r]!, value, `${name}[${r}]`);
          }
          const inClusters = (input.clusters ?? []).filter((c) =>
            (c.related_alert_ids as string[]).includes(alert.alert_id),
          ).length;
          expect(col('cluster_count')[r]).toBe(inClusters);
          const same = input.alerts.filter((a) => a.address === alert.address);
          expect(col('same_address_alert_count')[r]).toBe(same.length);
          expect(col('same_address_typology_count')[r]).toBe(new Set(same.map((a) => a.typology_type)).size);
          expect(col('has_address_features')[r]).toBe(alert.address === 'p0' ? 1 : 0);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('percentile ranks lie in (0, 1] and z-scores average to 0', () => {
    fc.assert(
      fc.property(batchArb, (input) => {
        const m = buildAlertFeatures(makeBatch(input));
        for (const name of ['batch_volume_pct_rank', 'batch_confidence_pct_rank']) {
          for (const v of matrixColumn(m, name)!) if (!Number.isNaN(v)) expect(v > 0 && v <= 1).toBe(true);
        }
        for (const name of ['batch_log_volume_zscore', 'batch_confidence_zscore']) {
          const present = [...matrixColumn(m, name)!].filter((v) => !Number.isNaN(v));
          if (present.length === 0) continue;
          expect(Math.abs(present.reduce((s, v) => s + v, 0) / present.length)).toBeLessThan(1e-5);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic on random batches', () => {
    fc.assert(
      fc.property(batchArb, (input) => {
        const a = buildAlertFeatures(makeBatch(input)).values;
        const b = buildAlertFeatures(makeBatch(input)).values;
        expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
