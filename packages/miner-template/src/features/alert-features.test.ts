import { describe, expect, it } from 'vitest';
import { CORE_FEATURE_COLUMNS } from '../schemas/features.js';
import { ADDRESS_UPSTREAM_COLUMNS, listExtraFeatureColumns } from './address-features.js';
import { alertFeatureNames, buildAlertFeatures } from './alert-features.js';
import { matrixColumn } from './matrix.js';
import { HAND_BATCH as INPUT, makeBatch } from './test-batch.test-support.js';
import type { FeatureMatrix } from './types.js';
import { ADDRESS_TYPE_VOCABULARY, TYPOLOGY_VOCABULARY } from './vocabulary.js';

const f = Math.fround;
const NaN_ = Number.NaN;

function column(matrix: FeatureMatrix, name: string): number[] {
  const col = matrixColumn(matrix, name);
  if (col === undefined) throw new Error(`no column ${name}`);
  return [...col];
}

/** Expects float32-rounded equality, NaN matching NaN. */
function expectColumn(matrix: FeatureMatrix, name: string, expected: number[]): void {
  const actual = column(matrix, name);
  expect(actual.length, name).toBe(expected.length);
  expected.forEach((e, i) => {
    if (Number.isNaN(e)) expect(actual[i], `${name}[${i}]`).toBeNaN();
    else expect(actual[i], `${name}[${i}]`).toBeCloseTo(f(e), 5);
  });
}

describe('buildAlertFeatures on a hand-built batch', () => {
  const m = buildAlertFeatures(makeBatch(INPUT));

  it('has one row per alert, in order, and the documented names', () => {
    expect(m.rowIds).toEqual(['A1', 'A2', 'A3', 'A4']);
    expect(m.numRows).toBe(4);
    expect(m.names).toEqual(alertFeatureNames());
    expect(m.values.length).toBe(4 * m.names.length);
    expect(new Set(m.names).size).toBe(m.names.length);
  });

  it('encodes the alert fields', () => {
    expectColumn(m, 'alert_severity', [2, 0, 3, 1]);
    expectColumn(m, 'alert_confidence_score', [0.9, 0.5, 0.5, NaN_]);
    expectColumn(m, 'alert_log1p_volume_usd', [Math.log(1001), Math.log(101), NaN_, Math.log(101)]);
    expectColumn(m, 'alert_risk_indicator_count', [2, 0, 1, 0]);
    const hot = (rows: number[]) => [0, 1, 2, 3].map((r) => (rows.includes(r) ? 1 : 0));
    expectColumn(m, 'alert_typology_layering', hot([0]));
    expectColumn(m, 'alert_typology_fan_in', hot([1]));
    expectColumn(m, 'alert_typology_other', hot([2]));
    expectColumn(m, 'alert_typology_fan_out', hot([3]));
    expectColumn(m, 'alert_typology_cycle', [0, 0, 0, 0]);
    expectColumn(m, 'alert_address_type_exchange', hot([0]));
    expectColumn(m, 'alert_address_type_mixer', hot([1]));
    expectColumn(m, 'alert_address_type_unknown', hot([2]));
    expectColumn(m, 'alert_address_type_wallet', hot([3]));
    // every row has exactly one hot slot per one-hot group
    for (let r = 0; r < 4; r++) {
      const typ = TYPOLOGY_VOCABULARY.reduce((s, t) => s + column(m, `alert_typology_${t}`)[r]!, 0);
      const adr = ADDRESS_TYPE_VOCABULARY.reduce((s, t) => s + column(m, `alert_address_type_${t}`)[r]!, 0);
      expect([typ, adr]).toEqual([1, 1]);
    }
  });

  it('copies the address row, NaN for missing addresses and absent columns', () => {
    expectColumn(m, 'has_address_features', [1, 0, 1, 0]);
    expectColumn(m, 'addr_degree_in', [3, NaN_, 3, NaN_]);
    expectColumn(m, 'addr_total_volume_usd', [500, NaN_, 500, NaN_]);
    expectColumn(m, 'addr_degree_out', [NaN_, NaN_, NaN_, NaN_]);
    expect(m.names).not.toContain('addr_custom_x');
  });

  it('includes named extra columns, NaN when the batch lacks one', () => {
    const batch = makeBatch(INPUT);
    expect(listExtraFeatureColumns(batch.features)).toEqual(['custom_x']);
    const extra = buildAlertFeatures(batch, { extraFeatureColumns: ['custom_x', 'not_here', 'degree_in'] });
    expectColumn(extra, 'addr_custom_x', [7, NaN_, 7, NaN_]);
    expectColumn(extra, 'addr_not_here', [NaN_, NaN_, NaN_, NaN_]);
    // extras follow the upstream address columns, in the order given
    const lastCore = extra.names.indexOf(`addr_${ADDRESS_UPSTREAM_COLUMNS.at(-1)}`);
    expect(extra.names.slice(lastCore + 1, lastCore + 3)).toEqual(['addr_custom_x', 'addr_not_here']);
    // a core name passed as extra is not duplicated
    expect(extra.names.filter((n) => n === 'addr_degree_in')).toHaveLength(1);
    expect(extra.names.length).toBe(m.names.length + 2);
  });

  it('computes batch-relative ranks, z-scores and same-address counts', () => {
    // volume [1000, 100, NaN, 100]: the two 100s share ranks 1,2 → 1.5/3; 1000 → 3/3
    expectColumn(m, 'batch_volume_pct_rank', [1, 0.5, NaN_, 0.5]);
    // log volumes L1, L2, L2: deviations 2d/3, −d/3, −d/3, std = √2·d/3
    expectColumn(m, 'batch_log_volume_zscore', [Math.SQRT2, -Math.SQRT1_2, NaN_, -Math.SQRT1_2]);
    // confidence [0.9, 0.5, 0.5, NaN]
    expectColumn(m, 'batch_confidence_pct_rank', [1, 0.5, 0.5, NaN_]);
    expectColumn(m, 'batch_confidence_zscore', [Math.SQRT2, -Math.SQRT1_2, -Math.SQRT1_2, NaN_]);
    expectColumn(m, 'same_address_alert_count', [2, 1, 2, 1]);
    expectColumn(m, 'same_address_typology_count', [2, 1, 2, 1]);
  });

  it('summarises the clusters each alert belongs to', () => {
    // A1 ∈ C1 (primary), C2; A2 ∈ C1; A3 ∈ C2; A4 in none. C2 falls back to members:
    // volume 1000 (A3 has none), severity max(high, critical) = 3, confidence mean(0.9, 0.5) = 0.7.
    expectColumn(m, 'cluster_count', [2, 1, 1, 0]);
    expectColumn(m, 'cluster_is_primary', [1, 0, 0, 0]);
    expectColumn(m, 'cluster_max_size', [3, 2, 3, NaN_]);
    expectColumn(m, 'cluster_total_volume_usd', [6000, 5000, 1000, NaN_]);
    expectColumn(m, 'cluster_max_severity', [3, 2, 3, NaN_]);
    expectColumn(m, 'cluster_mean_confidence', [0.75, 0.8, 0.7, NaN_]);
    expectColumn(m, 'cluster_time_span_hours', [5, 2, 4, NaN_]);
  });

  it('reads the money-flow neighbourhood', () => {
    // a: in from b 50, c 10; out to b 100, d 300. b: in from a 100, d 20; out to a 50.
    expectColumn(m, 'flow_in_degree', [2, 2, 2, 0]);
    expectColumn(m, 'flow_out_degree', [2, 1, 2, 0]);
    expectColumn(m, 'flow_counterparty_count', [3, 2, 3, 0]);
    expectColumn(m, 'flow_in_usd', [60, 120, 60, 0]);
    expectColumn(m, 'flow_out_usd', [400, 50, 400, 0]);
    expectColumn(m, 'flow_reciprocity', [1 / 3, 1 / 2, 1 / 3, NaN_]);
    expectColumn(m, 'flow_alerted_counterparty_count', [1, 1, 1, 0]);
    expectColumn(m, 'flow_alerted_counterparty_usd', [150, 150, 150, 0]);
    expectColumn(m, 'flow_max_pair_usd_share', [300 / 460, 150 / 170, 300 / 460, NaN_]);
  });

  it('makes every flow column NaN when the batch has no money_flows', () => {
    const noFlows = buildAlertFeatures(makeBatch({ ...INPUT, money_flows: [] }));
    for (const name of noFlows.names.filter((n) => n.startsWith('flow_'))) {
      expectColumn(noFlows, name, [NaN_, NaN_, NaN_, NaN_]);
    }
  });
});

describe('buildAlertFeatures contract', () => {
  it('keeps the same columns whatever optional columns a batch carries', () => {
    const wide = makeBatch({
      alerts: [{ alert_id: 'x', address: 'p' }],
      features: [
        { address: 'p', ...Object.fromEntries(CORE_FEATURE_COLUMNS.map((c, i) => [c, i])), extra_1: 1 },
      ],
    });
    const narrow = makeBatch({ alerts: [{ alert_id: 'y', address: 'q' }], features: [] });
    const options = { extraFeatureColumns: ['extra_1'] };
    expect(buildAlertFeatures(wide, options).names).toEqual(buildAlertFeatures(narrow, options).names);
    expect(buildAlertFeatures(wide).names).toEqual(buildAlertFeatures(narrow).names);
    const wideMatrix = buildAlertFeatures(wide);
    CORE_FEATURE_COLUMNS.forEach((c, i) => {
      expectColumn(wideMatrix, `addr_${c}`, [i]);
    });
  });

  it('is deterministic: the same batch gives a bit-identical matrix', () => {
    const a = buildAlertFeatures(makeBatch(INPUT), { extraFeatureColumns: ['custom_x'] });
    const b = buildAlertFeatures(makeBatch(INPUT), { extraFeatureColumns: ['custom_x'] });
    expect(Buffer.from(a.values.buffer).equals(Buffer.from(b.values.buffer))).toBe(true);
    expect(a.names).toEqual(b.names);
  });

  it('handles an empty batch', () => {
    const m = buildAlertFeatures(makeBatch({ alerts: [] }));
    expect(m.numRows).toBe(0);
    expect(m.values.length).toBe(0);
  });
});
