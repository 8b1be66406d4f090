import { describe, expect, it } from 'vitest';
import { buildAlertFeatures } from './alert-features.js';
import { matrixColumn } from './matrix.js';
import { makeBatch } from './test-batch.test-support.js';

const DAY = 86_400_000;
// the hand batch's processing date is 2026-01-01, so its window ends at 2026-01-02T00:00Z
const END = Date.UTC(2026, 0, 2);

const batch = makeBatch({
  alerts: [
    { alert_id: 'X', address: 'x' },
    { alert_id: 'Y', address: 'y' },
    { alert_id: 'Z', address: 'z' },
  ],
  features: [
    {
      address: 'x',
      total_in_usd: 19_000,
      total_out_usd: 15_000,
      total_volume_usd: 34_000,
      degree_in: 2,
      degree_out: 1,
      avg_tx_in_usd: 6_000,
      avg_tx_out_usd: 5_000,
      tx_total_count: 6,
      unique_counterparties: 3,
      max_tx_usd: 9_000,
      first_activity_timestamp: END - 10 * DAY,
      last_activity_timestamp: END - DAY / 2,
    },
    { address: 'y', total_in_usd: 0, total_out_usd: 0, total_volume_usd: 100, tx_total_count: 0 },
  ],
});
const m = buildAlertFeatures(batch);
const col = (name: string) => [...(matrixColumn(m, name) as Float64Array)];

describe('derived address family', () => {
  it('computes scale-free ratios and ages by hand', () => {
    expect(col('derived_pass_through')[0]).toBeCloseTo(15 / 19, 6);
    expect(col('derived_log_in_out_ratio')[0]).toBeCloseTo(Math.log(19_001 / 15_001), 6);
    expect(col('derived_log_degree_ratio')[0]).toBeCloseTo(Math.log(3 / 2), 6);
    expect(col('derived_log_avg_in_out_ratio')[0]).toBeCloseTo(Math.log(6_001 / 5_001), 6);
    expect(col('derived_tx_per_counterparty')[0]).toBe(2);
    expect(col('derived_log_avg_tx_usd')[0]).toBeCloseTo(Math.log1p(34_000 / 6), 5);
    expect(col('derived_max_tx_share')[0]).toBeCloseTo(9_000 / 34_000, 6);
    expect(col('derived_age_days')[0]).toBe(10);
    expect(col('derived_days_since_last_activity')[0]).toBe(0.5);
  });

  it('is NaN for zero denominators, missing inputs and addresses without a row', () => {
    expect(col('derived_pass_through')[1]).toBeNaN(); // both totals 0
    expect(col('derived_log_avg_tx_usd')[1]).toBeNaN(); // no transactions
    expect(col('derived_age_days')[1]).toBeNaN(); // no timestamp
    for (const name of ['derived_pass_through', 'derived_log_in_out_ratio', 'derived_age_days'])
      expect(col(name)[2], name).toBeNaN();
  });

  it('ranks an address column among the batch alerts, skipping missing values', () => {
    // total_volume_usd 34000, 100, missing
    expect(col('rank_addr_total_volume_usd')).toEqual([1, 0.5, Number.NaN]);
  });
});
