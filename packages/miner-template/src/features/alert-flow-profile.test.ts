import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertFeatureNames, buildAlertFeatures } from './alert-features.js';
import { median } from './alert-flow-profile.js';
import { matrixColumn } from './matrix.js';
import { makeBatch } from './test-batch.test-support.js';

const H = 3_600_000;

/** x receives from p (2 × 9,000 at 0 h) and q (1,000 at 2 h, no avg size), sends 3 × 5,000 to r at 10 h. */
const FLOWS = [
  {
    from_address: 'p',
    to_address: 'x',
    tx_count: 2,
    amount_usd_sum: 18_000,
    avg_tx_size_usd: 9_000,
    first_seen_timestamp: 0,
    last_seen_timestamp: 1 * H,
    active_days: 1,
  },
  { from_address: 'q', to_address: 'x', tx_count: 1, amount_usd_sum: 1_000, first_seen_timestamp: 2 * H },
  {
    from_address: 'x',
    to_address: 'r',
    tx_count: 3,
    amount_usd_sum: 15_000,
    avg_tx_size_usd: 5_000,
    first_seen_timestamp: 10 * H,
    last_seen_timestamp: 20 * H,
    active_days: 2,
  },
];

const alerts = [
  { alert_id: 'X', address: 'x' },
  { alert_id: 'Y', address: 'y' },
];

function col(m: ReturnType<typeof buildAlertFeatures>, name: string): number[] {
  return [...(matrixColumn(m, name) as Float64Array)];
}

describe('flow-profile family', () => {
  const m = buildAlertFeatures(makeBatch({ alerts, money_flows: FLOWS }));

  it('summarises an address flows by hand', () => {
    expect(col(m, 'flowp_in_tx_count')[0]).toBe(3);
    expect(col(m, 'flowp_out_tx_count')[0]).toBe(3);
    expect(col(m, 'flowp_in_avg_tx_p50_usd')[0]).toBe(5_000); // median(9000, 1000)
    expect(col(m, 'flowp_out_avg_tx_p50_usd')[0]).toBe(5_000);
    // sizes 9000, 1000, 5000: mean 5000, sample sd 4000
    expect(col(m, 'flowp_avg_tx_cv')[0]).toBeCloseTo(0.8, 6);
    expect(col(m, 'flowp_pass_through')[0]).toBeCloseTo(15 / 19, 6);
    expect(col(m, 'flowp_log_in_out_ratio')[0]).toBeCloseTo(Math.log(19_001 / 15_001), 6);
    // USD-weighted first-seen: in (18000·0 + 1000·2h)/19000, out 10 h
    expect(col(m, 'flowp_hold_hours')[0]).toBeCloseTo(10 - 2_000 / 19_000, 5);
    expect(col(m, 'flowp_span_hours')[0]).toBe(20);
    expect(col(m, 'flowp_max_active_days')[0]).toBe(2);
    expect(col(m, 'flowp_near_threshold_tx_share')[0]).toBeCloseTo(2 / 6, 6);
  });

  it('gives an address without flows zero counts and NaN statistics', () => {
    expect(col(m, 'flowp_in_tx_count')[1]).toBe(0);
    expect(col(m, 'flowp_out_tx_count')[1]).toBe(0);
    for (const name of [
      'flowp_in_avg_tx_p50_usd',
      'flowp_pass_through',
      'flowp_hold_hours',
      'flowp_span_hours',
    ])
      expect(col(m, name)[1], name).toBeNaN();
  });

  it('is all NaN when the batch carries no money_flows', () => {
    const none = buildAlertFeatures(makeBatch({ alerts }));
    for (const name of alertFeatureNames().filter((n) => n.startsWith('flowp_')))
      for (const v of col(none, name)) expect(v, name).toBeNaN();
  });

  it('median matches a sort-based definition', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1 }), (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        const below = s.filter((x) => x < median(xs)).length;
        const above = s.filter((x) => x > median(xs)).length;
        expect(below).toBeLessThanOrEqual(xs.length / 2);
        expect(above).toBeLessThanOrEqual(xs.length / 2);
      }),
    );
    expect(median([])).toBeNaN();
  });
});
