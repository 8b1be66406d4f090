import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildClusterFeatures,
  clusterFeatureNames,
  DEFAULT_MEMBER_FEATURE_COLUMNS,
} from './cluster-features.js';
import { matrixColumn } from './matrix.js';
import { HAND_BATCH, makeBatch } from './test-batch.test-support.js';
import type { FeatureMatrix } from './types.js';

const NaN_ = Number.NaN;

function expectColumn(matrix: FeatureMatrix, name: string, expected: number[]): void {
  const actual = matrixColumn(matrix, name);
  if (actual === undefined) throw new Error(`no column ${name}`);
  expected.forEach((e, i) => {
    if (Number.isNaN(e)) expect(actual[i], `${name}[${i}]`).toBeNaN();
    else expect(actual[i], `${name}[${i}]`).toBeCloseTo(Math.fround(e), 5);
  });
}

describe('buildClusterFeatures on the hand-built batch', () => {
  // C1 names A1 (primary), A2; C2 names A1, A3 and A9 (not in the batch); C3 names nothing.
  const m = buildClusterFeatures(makeBatch(HAND_BATCH));

  it('has one row per cluster and the documented names', () => {
    expect(m.rowIds).toEqual(['C1', 'C2', 'C3']);
    expect(m.names).toEqual(clusterFeatureNames());
    expect(m.names).toContain(`members_mean_addr_${DEFAULT_MEMBER_FEATURE_COLUMNS[0]}`);
  });

  it("reads the cluster's own fields", () => {
    expectColumn(m, 'cluster_total_alerts', [2, NaN_, NaN_]);
    expectColumn(m, 'cluster_size', [2, 3, 0]);
    expectColumn(m, 'cluster_log1p_total_volume_usd', [Math.log(5001), NaN_, NaN_]);
    expectColumn(m, 'cluster_severity_max', [2, NaN_, NaN_]);
    expectColumn(m, 'cluster_confidence_avg', [0.8, NaN_, NaN_]);
    expectColumn(m, 'cluster_time_span_hours', [2, 4, NaN_]);
    expectColumn(m, 'cluster_addresses_involved_count', [3, 0, 0]);
    // C1: {a, b} from members ∪ {a, b, d} involved; C2: {a}
    expectColumn(m, 'cluster_address_count', [3, 1, 0]);
  });

  it('aggregates member alerts', () => {
    expectColumn(m, 'members_count', [2, 2, 0]);
    expectColumn(m, 'members_confidence_mean', [0.7, 0.7, NaN_]);
    expectColumn(m, 'members_confidence_max', [0.9, 0.9, NaN_]);
    expectColumn(m, 'members_severity_max', [2, 3, NaN_]);
    expectColumn(m, 'members_volume_usd_total', [1100, 1000, NaN_]);
    expectColumn(m, 'members_volume_usd_max', [1000, 1000, NaN_]);
    expectColumn(m, 'members_distinct_addresses', [2, 1, 0]);
    expectColumn(m, 'members_distinct_typologies', [2, 2, 0]);
  });

  it('averages address features over the addresses that have a features row', () => {
    // C1: a (500) and d (100); b has no row. C2: a only.
    expectColumn(m, 'members_mean_addr_total_volume_usd', [300, 500, NaN_]);
    expectColumn(m, 'members_mean_addr_pagerank', [NaN_, NaN_, NaN_]);
  });

  it('measures money flow among and around the cluster addresses', () => {
    // C1 {a, b, d}: a→b, b→a, a→d, d→b internal (470 USD); c→a crosses the boundary (10 USD).
    expectColumn(m, 'cluster_flow_internal_edges', [4, 0, 0]);
    expectColumn(m, 'cluster_flow_density', [4 / 6, NaN_, NaN_]);
    expectColumn(m, 'cluster_flow_internal_usd', [470, 0, 0]);
    // C2 {a}: a→b 100, a→d 300, b→a 50, c→a 10 all cross (the self-loop is ignored).
    expectColumn(m, 'cluster_flow_boundary_usd', [10, 460, 0]);
  });

  it('ranks clusters among the batch and measures how much money stays inside', () => {
    // log volume [log 5001, NaN, NaN]; members' volume [1100, 1000, NaN]; internal USD [470, 0, 0]
    expectColumn(m, 'cluster_volume_pct_rank', [1, NaN_, NaN_]);
    expectColumn(m, 'members_volume_pct_rank', [1, 0.5, NaN_]);
    expectColumn(m, 'cluster_flow_internal_usd_pct_rank', [1, 0.5, 0.5]);
    // C1: 470 of 480; C2: 0 of 460; C3: no money at all
    expectColumn(m, 'cluster_flow_internal_usd_share', [470 / 480, 0, NaN_]);
  });

  it('makes flow columns NaN without money_flows, and honours memberFeatureColumns', () => {
    const batch = makeBatch({ ...HAND_BATCH, money_flows: [] });
    const noFlows = buildClusterFeatures(batch, { memberFeatureColumns: ['degree_in', 'degree_in'] });
    expect(noFlows.names.filter((n) => n.startsWith('members_mean_addr_'))).toEqual([
      'members_mean_addr_degree_in',
    ]);
    expectColumn(noFlows, 'members_mean_addr_degree_in', [2, 3, NaN_]);
    for (const name of noFlows.names.filter((n) => n.startsWith('cluster_flow_'))) {
      expectColumn(noFlows, name, [NaN_, NaN_, NaN_]);
    }
  });

  it('is deterministic', () => {
    const again = buildClusterFeatures(makeBatch(HAND_BATCH));
    expect(Buffer.from(again.values.buffer).equals(Buffer.from(m.values.buffer))).toBe(true);
  });
});

describe('buildClusterFeatures against a brute-force reference', () => {
  const POOL = ['q0', 'q1', 'q2', 'q3', 'q4'];
  const address = fc.constantFrom(...POOL);
  const batchArb = fc.record({
    alertAddresses: fc.array(address, { minLength: 1, maxLength: 8 }),
    flows: fc.array(
      fc.record({
        from_address: address,
        to_address: address,
        amount_usd_sum: fc.integer({ min: 0, max: 100 }),
      }),
      { minLength: 1, maxLength: 15 },
    ),
    clusters: fc.array(
      fc.record({
        picks: fc.array(fc.nat(10), { maxLength: 4 }),
        involved: fc.array(address, { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  });

  it('members, addresses and flow structure', () => {
    fc.assert(
      fc.property(batchArb, ({ alertAddresses, flows, clusters }) => {
        const alerts = alertAddresses.map((a, i) => ({ alert_id: `A${i}`, address: a }));
        const clusterRows = clusters.map((c, k) => ({
          cluster_id: `C${k}`,
          related_alert_ids: c.picks.map((p) => `A${p % alerts.length}`),
          addresses_involved: c.involved,
        }));
        const m = buildClusterFeatures(makeBatch({ alerts, clusters: clusterRows, money_flows: flows }));
        clusterRows.forEach((cluster, k) => {
          const memberIds = new Set(cluster.related_alert_ids);
          const memberAddresses = new Set(
            alerts.filter((a) => memberIds.has(a.alert_id)).map((a) => a.address),
          );
          const addresses = new Set([...memberAddresses, ...cluster.addresses_involved]);
          const real = flows.filter((f) => f.from_address !== f.to_address);
          const internal = real.filter((f) => addresses.has(f.from_address) && addresses.has(f.to_address));
          const pairs = new Set(internal.map((f) => `${f.from_address}>${f.to_address}`));
          const boundary = real.filter((f) => addresses.has(f.from_address) !== addresses.has(f.to_address));
          const sum = (rows: typeof flows) => rows.reduce((s, f) => s + f.amount_usd_sum, 0);
          const k2 = addresses.size;
          const at = (name: string) => matrixColumn(m, name)![k]!;
          expect(at('members_count')).toBe(memberIds.size);
          expect(at('members_distinct_addresses')).toBe(memberAddresses.size);
          expect(at('cluster_address_count')).toBe(k2);
          expect(at('cluster_flow_internal_edges')).toBe(pairs.size);
          expect(at('cluster_flow_internal_usd')).toBe(sum(internal));
          expect(at('cluster_flow_boundary_usd')).toBe(sum(boundary));
          if (k2 < 2) expect(at('cluster_flow_density')).toBeNaN();
          else expect(at('cluster_flow_density')).toBeCloseTo(pairs.size / (k2 * (k2 - 1)), 6);
        });
      }),
      { numRuns: 150 },
    );
  });
});
