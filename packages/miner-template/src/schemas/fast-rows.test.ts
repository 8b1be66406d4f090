import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { featureTableToRows } from '../data/feature-table.js';
import { generateBatch } from '../synthetic/generate.js';
import { AlertSchema } from './alert.js';
import { ClusterSchema } from './cluster.js';
import {
  ALERT_FIELDS,
  CLUSTER_FIELDS,
  fastParseAlert,
  fastParseCluster,
  fastParseFeatureRow,
  fastParseMoneyFlow,
  MONEY_FLOW_FIELDS,
  parseRowsFast,
} from './fast-rows.js';
import { FeatureRowSchema } from './features.js';
import { MoneyFlowSchema } from './money-flow.js';
import {
  alertRowArb,
  canon,
  cellArb,
  clusterRowArb,
  featureRowArb,
  moneyFlowRowArb,
  validAlertRow,
  validClusterRow,
  validMoneyFlowRow,
} from './wire-arbitraries.test-support.js';

const RUNS = { numRuns: 1500 };

interface Reference {
  safeParse(v: unknown): { success: boolean; data?: unknown };
}

/**
 * The contract of a fast parser: whatever it accepts, the live zod schema accepts too and turns
 * into the same value (key order, undefined, NaN and -0 included). Returns whether it accepted.
 */
function agrees(fast: (row: unknown) => unknown, reference: Reference, row: unknown): boolean {
  const quick = fast(row);
  if (quick === undefined) return false;
  const ref = reference.safeParse(row);
  expect(ref.success).toBe(true);
  expect(canon(quick)).toBe(canon(ref.data));
  return true;
}

const TABLES = [
  ['alerts', fastParseAlert, AlertSchema, alertRowArb, validAlertRow],
  ['clusters', fastParseCluster, ClusterSchema, clusterRowArb, validClusterRow],
  ['money_flows', fastParseMoneyFlow, MoneyFlowSchema, moneyFlowRowArb, validMoneyFlowRow],
] as const;

describe('fast row parsers', () => {
  it('list the live schemas’ keys in their shape order', () => {
    expect(ALERT_FIELDS.map(([k]) => k)).toEqual(Object.keys(AlertSchema.shape));
    expect(CLUSTER_FIELDS.map(([k]) => k)).toEqual(Object.keys(ClusterSchema.shape));
    expect(MONEY_FLOW_FIELDS.map(([k]) => k)).toEqual(Object.keys(MoneyFlowSchema.shape));
  });

  for (const [table, fast, reference, mutatedRows, validRows] of TABLES) {
    it(`${table}: accept only what zod accepts, with the same value`, () => {
      let accepted = 0;
      let declined = 0;
      fc.assert(
        fc.property(mutatedRows, (row) => {
          if (agrees(fast, reference, row)) accepted++;
          else declined++;
        }),
        RUNS,
      );
      // the mutations must exercise both sides, or the property says little
      expect(accepted).toBeGreaterThan(100);
      expect(declined).toBeGreaterThan(100);
    });

    it(`${table}: every valid wire row takes the fast path`, () => {
      fc.assert(
        fc.property(validRows, (row) => {
          expect(agrees(fast, reference, row)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });

    it(`${table}: one cell of any kind in any field agrees with zod`, () => {
      const keys = Object.keys(reference.shape);
      fc.assert(
        fc.property(validRows, fc.constantFrom(...keys), cellArb, (row, key, cell) => {
          agrees(fast, reference, { ...row, [key]: cell });
        }),
        RUNS,
      );
    });
  }

  it('features: accept only what zod accepts, with the same value and key order', () => {
    let accepted = 0;
    fc.assert(
      fc.property(featureRowArb, (row) => {
        if (agrees(fastParseFeatureRow, FeatureRowSchema, row)) accepted++;
      }),
      RUNS,
    );
    expect(accepted).toBeGreaterThan(300);
  });

  it('take non-objects to zod', () => {
    for (const v of [null, undefined, 'row', 3, [], [{ alert_id: 'a', address: 'x' }]]) {
      expect(fastParseAlert(v)).toBeUndefined();
      expect(fastParseFeatureRow(v)).toBeUndefined();
    }
  });

  it('keep zod’s key presence: absent stays absent, an explicit null or undefined is kept', () => {
    const absent = fastParseAlert({ alert_id: 'a', address: 'x' });
    expect(absent && 'pattern_id' in absent).toBe(false);
    expect(absent && 'window_days' in absent).toBe(false);
    expect(absent?.typology_type).toBe('unknown');
    const nulls = fastParseAlert({ alert_id: 'a', address: 'x', pattern_id: null, window_days: null });
    expect(nulls && 'pattern_id' in nulls).toBe(true);
    expect(nulls?.window_days).toBeNaN();
  });

  it('parse a realistic generated batch entirely on the fast path, equal to zod', () => {
    const { batch } = generateBatch({ date: '2026-01-15', alerts: 200, seed: 3 });
    const wire = JSON.parse(
      JSON.stringify({ ...batch, features: featureTableToRows(batch.features) }),
    ) as Record<string, unknown[]>;
    const pairs = [
      [wire.alerts, fastParseAlert, AlertSchema],
      [wire.clusters, fastParseCluster, ClusterSchema],
      [wire.money_flows, fastParseMoneyFlow, MoneyFlowSchema],
      [wire.features, fastParseFeatureRow, FeatureRowSchema],
    ] as const;
    for (const [rows, fast, reference] of pairs) {
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(agrees(fast, reference, row)).toBe(true);
    }
  });
});

describe('parseRowsFast', () => {
  it('falls back to the schema per row and gives up on an invalid row or a non-array', () => {
    const evidence = { alert_id: 'a', address: 'x', evidence_json: { hops: 3 } };
    expect(fastParseAlert(evidence)).toBeUndefined();
    const rows = parseRowsFast([evidence], fastParseAlert, AlertSchema);
    expect(rows?.[0].evidence_json).toBe('{"hops":3}');
    expect(parseRowsFast([evidence, { alert_id: 'b' }], fastParseAlert, AlertSchema)).toBeUndefined();
    expect(parseRowsFast({ 0: evidence }, fastParseAlert, AlertSchema)).toBeUndefined();
  });
});
