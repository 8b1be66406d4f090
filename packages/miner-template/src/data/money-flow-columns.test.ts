/**
 * Columnar money flows: the column checks accept a table only when the row parser accepts every
 * row, with the same values; a batch decoded from Arrow with columnar flows gives bit for bit the
 * features of the same batch parsed from JSON rows, and the same rows when they are read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrowBody, requestFromBody } from '../api/batch-body.js';
import { buildAlertFeatures } from '../features/alert-features.js';
import { buildClusterFeatures } from '../features/cluster-features.js';
import { fastParseMoneyFlow } from '../schemas/fast-rows.js';
import { MoneyFlowSchema } from '../schemas/money-flow.js';
import { canon } from '../schemas/wire-arbitraries.test-support.js';
import { generateBatch } from '../synthetic/generate.js';
import { decodeBatchArrow } from './arrow-batch.js';
import { encodeBatchContainer } from './arrow-container.js';
import { ArrowRowColumns } from './codec-arrow.js';
import { featureTableToRows } from './feature-table.js';
import { arrowFlowColumns, flowColumnsFromRows, flowColumnsOf, flowCount } from './money-flow-columns.js';

/** Every numeric field of a money flow: all but the two addresses, the asset and the flag. */
const NUMBER_FIELDS = Object.keys(MoneyFlowSchema.shape).filter(
  (k) => !['from_address', 'to_address', 'dominant_asset', 'is_bidirectional'].includes(k),
);

/** Numbers as an Arrow float column holds them: mostly valid for every field, sometimes not. */
const numberCell = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 0, max: 1 }) },
  { weight: 6, arbitrary: fc.constant(Number.NaN) },
  fc.constantFrom(0.5, 2, 1.5, -1, Number.POSITIVE_INFINITY, 1e12),
);
const address = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('a', 'b', 'c', 'd') },
  fc.constant(''),
  fc.constant(null),
);

type Column = { name: string; cells: Float64Array | unknown[] };

function columnsArb(n: number): fc.Arbitrary<Column[]> {
  const text = (cell: fc.Arbitrary<unknown>) => fc.array(cell, { minLength: n, maxLength: n });
  const numbers = fc.array(numberCell, { minLength: n, maxLength: n }).map((xs) => Float64Array.from(xs));
  const maybe = (name: string, cells: fc.Arbitrary<Float64Array | unknown[]>) =>
    fc.option(
      cells.map((c) => ({ name, cells: c })),
      { nil: undefined, freq: 8 },
    );
  return fc
    .tuple(
      maybe('from_address', text(address)),
      maybe('to_address', text(address)),
      ...NUMBER_FIELDS.map((name) =>
        maybe(name, fc.oneof({ weight: 9, arbitrary: numbers }, text(fc.constantFrom('1', 'x', null)))),
      ),
      maybe('dominant_asset', text(fc.constantFrom('USDT', 'ETH', null, 3))),
      maybe('is_bidirectional', text(fc.constantFrom(true, false, null, 1))),
      fc.integer({ min: 0, max: 9 }).map((k) => k === 0),
    )
    .map((parts) => {
      const twice = parts.pop() as boolean;
      const columns = (parts as (Column | undefined)[]).filter((c): c is Column => c !== undefined);
      // a repeated column: the last one is the one a row reads
      if (twice && columns.length > 0)
        columns.unshift({ ...columns[columns.length - 1]!, cells: columns[0]!.cells });
      return columns;
    });
}

const tableArb = fc
  .integer({ min: 0, max: 12 })
  .chain((n) => columnsArb(n).map((columns) => ({ n, columns })))
  .filter(({ n, columns }) => columns.every((c) => c.cells.length === n));

describe('arrowFlowColumns', () => {
  it('accepts a table only when every row passes the row parser, with the same values', () => {
    let accepted = 0;
    fc.assert(
      fc.property(tableArb, ({ n, columns }) => {
        const table = new ArrowRowColumns(
          columns.map((c) => c.name),
          columns.map((c) => c.cells),
          n,
        );
        const got = arrowFlowColumns((name) => table.column(name), n);
        const rows = Array.from({ length: n }, (_, i) => fastParseMoneyFlow(table.row(i)));
        const allPass = rows.every((r) => r !== undefined);
        if (got === undefined) {
          // declining is allowed only for a table whose cells are not all of the plain kinds, or
          // with a field in several columns
          const names = columns.map((c) => c.name);
          const plain =
            allPass &&
            new Set(names).size === names.length &&
            names.includes('from_address') &&
            names.includes('to_address') &&
            columns.every((c) =>
              NUMBER_FIELDS.includes(c.name)
                ? c.cells instanceof Float64Array
                : (c.cells as unknown[]).every((v) => v === null || typeof v !== 'number'),
            );
          expect(plain).toBe(false);
          return;
        }
        accepted++;
        expect(allPass).toBe(true);
        const want = flowColumnsFromRows(rows as NonNullable<(typeof rows)[number]>[]);
        expect(canon(got)).toEqual(canon(want));
      }),
      { numRuns: 1500 },
    );
    // Not vacuous: about one table in twenty is accepted (500 runs gave 20 in a CI run, so the
    // bound had no margin; 1,500 runs give ~60).
    expect(accepted).toBeGreaterThan(20);
  });
});

describe('a batch decoded from Arrow keeps its flows as columns', () => {
  it.each([1, 2, 3])('features bit for bit those of the JSON rows (seed %i)', (seed) => {
    const { batch } = generateBatch({
      network: 'torus',
      date: '2026-01-01',
      windowDays: 7,
      alerts: 120,
      seed,
    });
    const json = requestFromBody(
      {
        alerts: batch.alerts,
        features: featureTableToRows(batch.features),
        clusters: batch.clusters,
        money_flows: batch.money_flows,
      },
      Number.POSITIVE_INFINITY,
    ).batch;
    const arrow = requestFromBody(
      new ArrowBody(decodeBatchArrow(encodeBatchContainer(batch))),
      Number.POSITIVE_INFINITY,
    ).batch;
    expect(Object.getOwnPropertyDescriptor(arrow, 'money_flows')?.get).toBeTypeOf('function');
    expect(flowCount(arrow)).toBe(json.money_flows.length);
    expect(canon(flowColumnsOf(arrow))).toEqual(canon(flowColumnsOf(json)));
    const bits = (values: ArrayBufferView) =>
      Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    expect(bits(buildAlertFeatures(arrow).values).equals(bits(buildAlertFeatures(json).values))).toBe(true);
    expect(bits(buildClusterFeatures(arrow).values).equals(bits(buildClusterFeatures(json).values))).toBe(
      true,
    );
    // the rows, once read, are the row parser's
    expect(canon(arrow.money_flows)).toEqual(canon(json.money_flows));
    expect(Object.keys(arrow)).toEqual(Object.keys(json));
  });

  it('forgets its columns when money_flows is assigned', () => {
    const { batch } = generateBatch({
      network: 'torus',
      date: '2026-01-01',
      windowDays: 7,
      alerts: 20,
      seed: 4,
    });
    const arrow = requestFromBody(
      new ArrowBody(decodeBatchArrow(encodeBatchContainer(batch))),
      Number.POSITIVE_INFINITY,
    ).batch;
    arrow.money_flows = [];
    expect(flowCount(arrow)).toBe(0);
    expect(flowColumnsOf(arrow).length).toBe(0);
  });
});
