import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnSources, featureCoverage } from './coverage.js';
import { makeBatch } from './test-batch.test-support.js';

const MODEL_COLUMNS = [
  'alert_severity', // from the alert: always carried
  'addr_degree_in', // present
  'addr_amount_skewness', // absent: distribution group
  'addr_pagerank', // present but all null: graph group
  'derived_pass_through', // needs total_in_usd and total_out_usd; total_out_usd absent: volume
  'rank_addr_degree_in', // present
  'flowp_hold_hours', // needs money_flows
];

const withFlows = makeBatch({
  alerts: [{ alert_id: 'A', address: 'a' }],
  features: [{ address: 'a', degree_in: 3, total_in_usd: 10, pagerank: null }],
  money_flows: [{ from_address: 'b', to_address: 'a', amount_usd_sum: 5 }],
});
const withoutFlows = { ...withFlows, money_flows: [] };

describe('featureCoverage', () => {
  it('counts the input columns the batch carried (hand-checked)', () => {
    const c = featureCoverage(withFlows, MODEL_COLUMNS);
    expect(c.missingColumns).toEqual(['addr_amount_skewness', 'addr_pagerank', 'derived_pass_through']);
    expect(c.coverage).toBeCloseTo(4 / 7, 12);
    expect(c.missingGroups).toEqual(['distribution', 'graph', 'volume']);
  });

  it('names money_flows when a batch has none', () => {
    const c = featureCoverage(withoutFlows, MODEL_COLUMNS);
    expect(c.coverage).toBeCloseTo(3 / 7, 12);
    expect(c.missingGroups).toContain('money_flows');
  });

  it('is 1 for a model without inputs and for columns computed from alerts alone', () => {
    expect(featureCoverage(withFlows, []).coverage).toBe(1);
    expect(featureCoverage(withoutFlows, ['alert_severity', 'cluster_count']).coverage).toBe(1);
  });

  it('maps model columns to their sources', () => {
    expect(columnSources('addr_kcore')).toEqual({ featureColumns: ['kcore'], flows: false });
    expect(columnSources('members_mean_addr_pagerank')).toEqual({
      featureColumns: ['pagerank'],
      flows: false,
    });
    expect(columnSources('cluster_flow_density')).toEqual({ featureColumns: [], flows: true });
    expect(columnSources('batch_volume_pct_rank')).toEqual({ featureColumns: [], flows: false });
  });

  it('stays in [0, 1] and equals carried / total for any subset of columns', () => {
    fc.assert(
      fc.property(fc.subarray(MODEL_COLUMNS), (cols) => {
        const c = featureCoverage(withFlows, cols);
        expect(c.coverage).toBeGreaterThanOrEqual(0);
        expect(c.coverage).toBeLessThanOrEqual(1);
        if (cols.length > 0)
          expect(c.coverage * cols.length).toBeCloseTo(cols.length - c.missingColumns.length, 9);
      }),
    );
  });
});
