import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressLabelSchema } from '../schemas/address-label.js';
import { AlertSchema } from '../schemas/alert.js';
import { ClusterSchema } from '../schemas/cluster.js';
import { FeatureRowSchema } from '../schemas/features.js';
import { wireJsonSchemas } from '../schemas/json-schema.js';
import { TABLE_FORMATS } from '../schemas/meta.js';
import { MoneyFlowSchema } from '../schemas/money-flow.js';
import type { FeatureTable } from './batch.js';
import {
  addressLabelArb,
  alertArb,
  clusterArb,
  featureTableArb,
  moneyFlowArb,
} from './batch-arbitraries.test-support.js';
import { featureRowsToTable } from './feature-table.js';
import { decodeFeatures, decodeRows, encodeFeatures, encodeRows } from './table-codec.js';
import { ROW_TABLES, type RowTableName } from './table-columns.js';

const rowArbs = {
  alerts: alertArb,
  clusters: clusterArb,
  money_flows: moneyFlowArb,
  address_labels: addressLabelArb,
} satisfies Record<RowTableName, fc.Arbitrary<object>>;

function expectSameFeatures(actual: FeatureTable, expected: FeatureTable): void {
  expect([...actual.columns.keys()]).toEqual([...expected.columns.keys()]);
  expect(actual.address).toEqual(expected.address);
  for (const [name, values] of expected.columns) {
    // Object.is per cell: NaN equals NaN, -0 differs from 0
    expect(Array.from(actual.columns.get(name)!)).toEqual(Array.from(values));
  }
}

describe('column layout', () => {
  it('names exactly the schema keys of each row table', () => {
    const schemas = {
      alerts: AlertSchema,
      clusters: ClusterSchema,
      money_flows: MoneyFlowSchema,
      address_labels: AddressLabelSchema,
    };
    for (const [table, schema] of Object.entries(schemas)) {
      const names = ROW_TABLES[table as RowTableName].columns.map((c) => c.name);
      expect(names.sort()).toEqual(Object.keys(schema.shape).sort());
    }
  });

  it('stores each field in the kind its JSON Schema input allows (docs/wire-schemas.json)', () => {
    const schemas = wireJsonSchemas();
    const docs = {
      alerts: schemas.Alert,
      clusters: schemas.Cluster,
      money_flows: schemas.MoneyFlow,
      address_labels: schemas.AddressLabel,
    };
    for (const [table, doc] of Object.entries(docs)) {
      const properties = doc.properties as Record<string, unknown>;
      const expected = ROW_TABLES[table as RowTableName].columns.map((c) => ({
        name: c.name,
        kind: kindAccepting(jsonTypes(properties[c.name])),
      }));
      expect(ROW_TABLES[table as RowTableName].columns).toEqual(expected);
    }
  });
});

/** Every JSON type a property's schema names, through its anyOf branches. */
function jsonTypes(node: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    const { type, anyOf } = n as { type?: string | string[]; anyOf?: unknown[] };
    for (const t of [type ?? []].flat()) out.add(t);
    for (const branch of anyOf ?? []) walk(branch);
  };
  walk(node);
  return out;
}

/** A list when arrays are accepted, a bool when booleans are, a number when numbers are, else text. */
function kindAccepting(types: Set<string>): string {
  if (types.has('array')) return 'list';
  if (types.has('boolean')) return 'bool';
  if (types.has('number') || types.has('integer')) return 'number';
  return 'string';
}

describe.each(TABLE_FORMATS)('%s codec', (format) => {
  for (const table of Object.keys(rowArbs) as RowTableName[]) {
    it(`round-trips ${table} rows`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(rowArbs[table] as fc.Arbitrary<object>, { maxLength: 10 }),
          async (rows) => {
            const bytes = encodeRows(table, rows, format);
            expect(await decodeRows(table, bytes, format, `t.${format}`)).toEqual(rows);
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it('round-trips feature tables (NaN, -0, unicode names, column order)', async () => {
    await fc.assert(
      fc.asyncProperty(featureTableArb, async (table) => {
        const bytes = encodeFeatures(table, format);
        expectSameFeatures(await decodeFeatures(bytes, format, `f.${format}`), table);
      }),
      { numRuns: 60 },
    );
  });

  it('reads an empty table', async () => {
    expect(await decodeRows('alerts', encodeRows('alerts', [], format), format, 'a')).toEqual([]);
    const empty = await decodeFeatures(
      encodeFeatures({ address: [], columns: new Map() }, format),
      format,
      'f',
    );
    expect(empty.address).toEqual([]);
    expect(empty.columns.size).toBe(0);
  });
});

describe('JSON codec on upstream-shaped input', () => {
  it('reads decimal strings, 0/1 booleans and JSON-encoded lists like the schemas do', async () => {
    const body = JSON.stringify([
      {
        from_address: 'a',
        to_address: 'b',
        amount_usd_sum: '150000.00',
        is_bidirectional: 1,
        tx_count: null,
      },
    ]);
    const [flow] = await decodeRows<{ amount_usd_sum: number; is_bidirectional: boolean; tx_count: number }>(
      'money_flows',
      Buffer.from(body),
      'json',
      'm.json',
    );
    expect(flow.amount_usd_sum).toBe(150000);
    expect(flow.is_bidirectional).toBe(true);
    expect(flow.tx_count).toBeNaN();
  });

  it('reads features the way FeatureRowSchema + featureRowsToTable would', async () => {
    const raw = [
      { address: 'x', note: 'hello', custom: '2.5', is_mixer_like: true, degree_in: null },
      { address: 'y', degree_out: 3, custom: 'abc', pagerank: 'NaN' },
    ];
    const expected = featureRowsToTable(raw.map((r) => FeatureRowSchema.parse(r)));
    const actual = await decodeFeatures(Buffer.from(JSON.stringify(raw)), 'json', 'f.json');
    expectSameFeatures(actual, expected);
    expect(actual.columns.has('note')).toBe(false);
  });

  it('names the file and row of a schema error', async () => {
    const body = Buffer.from(
      JSON.stringify([
        { alert_id: 'a', address: 'x' },
        { alert_id: 'b', address: 'y', volume_usd: 'lots' },
      ]),
    );
    await expect(decodeRows('alerts', body, 'json', 'alerts.json')).rejects.toMatchObject({
      code: 'AML_ERR_SCHEMA_INVALID',
      message: expect.stringContaining('alerts.json'),
    });
    await expect(decodeRows('alerts', body, 'json', 'alerts.json')).rejects.toThrow(/\[1\]\.volume_usd/);
  });

  it('rejects a file that is not a JSON array as a format error', async () => {
    await expect(decodeRows('alerts', Buffer.from('{"a":1}'), 'json', 'a.json')).rejects.toMatchObject({
      code: 'AML_ERR_IO_FORMAT',
    });
    await expect(decodeFeatures(Buffer.from('[{'), 'json', 'f.json')).rejects.toMatchObject({
      code: 'AML_ERR_IO_FORMAT',
    });
  });
});

describe('corrupt columnar files', () => {
  it.each(['arrow', 'parquet'] as const)('%s: garbage bytes give AML_ERR_IO_FORMAT', async (format) => {
    const junk = Buffer.from('this is not a table at all, not even close');
    await expect(decodeRows('alerts', junk, format, `a.${format}`)).rejects.toMatchObject({
      code: 'AML_ERR_IO_FORMAT',
    });
    await expect(decodeFeatures(junk, format, `f.${format}`)).rejects.toMatchObject({
      code: 'AML_ERR_IO_FORMAT',
    });
  });
});
