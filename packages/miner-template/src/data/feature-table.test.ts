import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORE_FEATURE_COLUMNS, type FeatureRow } from '../schemas/features.js';
import { featureTableArb } from './batch-arbitraries.test-support.js';
import { canonicalColumnOrder, featureRowsToTable, featureTableToRows } from './feature-table.js';

describe('featureRowsToTable', () => {
  it('puts present core columns first in their canonical order, then extras as first seen', () => {
    const rows: FeatureRow[] = [
      { address: 'a', zeta: 1, pagerank: 0.5, degree_in: 2 },
      { address: 'b', alpha: 3, degree_out: 4, zeta: 5 },
    ];
    const table = featureRowsToTable(rows);
    expect([...table.columns.keys()]).toEqual(['degree_in', 'degree_out', 'pagerank', 'zeta', 'alpha']);
    expect(table.address).toEqual(['a', 'b']);
  });

  it('fills a missing cell with NaN, never 0', () => {
    const table = featureRowsToTable([
      { address: 'a', degree_in: 1 },
      { address: 'b', kcore: 0 },
    ]);
    expect(Array.from(table.columns.get('degree_in')!)).toEqual([1, Number.NaN]);
    expect(Array.from(table.columns.get('kcore')!)).toEqual([Number.NaN, 0]);
  });

  it('gives an empty table for no rows', () => {
    const table = featureRowsToTable([]);
    expect(table.address).toEqual([]);
    expect(table.columns.size).toBe(0);
  });

  it('round-trips with featureTableToRows (property)', () => {
    fc.assert(
      fc.property(featureTableArb, (table) => {
        const back = featureRowsToTable(featureTableToRows(table));
        expect(back.address).toEqual(table.address);
        expect([...back.columns.keys()]).toEqual([...table.columns.keys()]);
        for (const [name, values] of table.columns) {
          expect(Array.from(back.columns.get(name)!)).toEqual(Array.from(values));
        }
      }),
    );
  });

  it('agrees with a brute-force cell lookup', () => {
    const rowArb = fc.record({
      address: fc.string({ minLength: 1 }),
      cells: fc.dictionary(fc.constantFrom('degree_in', 'kcore', 'x1', 'x2', 'pagerank'), fc.double()),
    });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 10 }), (raw) => {
        const rows = raw.map((r) => ({ address: r.address, ...r.cells }) as FeatureRow);
        const table = featureRowsToTable(rows);
        const names = new Set(raw.flatMap((r) => Object.keys(r.cells)));
        expect(new Set(table.columns.keys())).toEqual(names);
        rows.forEach((row, i) => {
          for (const name of names) {
            const expected = name in row ? (row[name] as number) : Number.NaN;
            expect(table.columns.get(name)![i]).toEqual(expected);
          }
        });
      }),
    );
  });
});

describe('canonicalColumnOrder', () => {
  it('orders every core column by CORE_FEATURE_COLUMNS whatever the input order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...CORE_FEATURE_COLUMNS]), (subset) => {
        const ordered = canonicalColumnOrder(subset);
        expect(ordered).toEqual(CORE_FEATURE_COLUMNS.filter((c) => subset.includes(c)));
      }),
    );
  });
});
