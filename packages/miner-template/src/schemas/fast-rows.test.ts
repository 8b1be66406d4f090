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
  ReferenceAlertSchema,
  ReferenceClusterSchema,
  ReferenceFeatureRowSchema,
  ReferenceMoneyFlowSchema,
} from './reference-schemas.test-helper.js';
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
} from './wire-arbitraries.test-helper.js';

const RUNS = { numRuns: 1500 };

interface Reference {
  safeParse(v: unknown): { success: boolean; data?: unknown };
}

/**
 * The contract of a fast parser: whatever it accepts, the frozen zod schema accepts too and turns
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
  ['alerts', fastParseAlert, ReferenceAlertSchema, alertRowArb, validAlertRow],
  ['clusters', fastParseCluster, ReferenceClusterSchema, clusterRowArb, validClusterRow],
  ['money_flows', fastParseMoneyFlow, ReferenceMoneyFlowSchema, moneyFlowRowArb, validMoneyFlowRow],
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
        if (agrees(fastParseFeatureRow, ReferenceFeatureRowSchema, row)) accepted++;
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
      [wire.alerts, fastParseAlert, ReferenceAlertSchema],
      [wire.clusters, fastParseCluster, ReferenceClusterSchema],
      [wire.money_flows, fastParseMoneyFlow, ReferenceMoneyFlowSchema],
      [wire.features, fastParseFeatureRow, ReferenceFeatureRowSchema],
    ] as const;
    for (const [rows, fast, reference] of pairs) {
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(agrees(fast, reference, row)).toBe(true);
    }
  });
});

/** Outcome of a safeParse as text: value, or the issue codes, paths and messages. */
function outcomeText(r: { success: boolean; data?: unknown; error?: { issues: unknown[] } }): string {
  return r.success ? canon(r.data) : JSON.stringify(r.error?.issues);
}

describe('the frozen reference', () => {
  // the fast path copies the schemas' meaning: a change to a live schema must fail here, so that
  // fast-rows.ts and reference-schemas.test-helper.ts are updated with it
  const pairs = [
    [AlertSchema, ReferenceAlertSchema, alertRowArb],
    [ClusterSchema, ReferenceClusterSchema, clusterRowArb],
    [MoneyFlowSchema, ReferenceMoneyFlowSchema, moneyFlowRowArb],
    [FeatureRowSchema, ReferenceFeatureRowSchema, featureRowArb],
  ] as const;
  it('still matches the live row schemas, valid rows and errors alike', () => {
    for (const [live, reference, rows] of pairs) {
      fc.assert(
        fc.property(rows, (row) => {
          expect(outcomeText(live.safeParse(row))).toBe(outcomeText(reference.safeParse(row)));
        }),
        { numRuns: 300 },
      );
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
