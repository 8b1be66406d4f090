import fc from 'fast-check';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { isAmlError } from '../../errors.js';
import { parseCsvTable, parseParquetTable, tableColumn, toFeatureMatrix } from './table-reader.js';

describe('parseCsvTable', () => {
  it('reads a header, quoted fields, CRLF and the missing-value spellings', () => {
    const t = parseCsvTable('"a","b,c",label\r\n1,,0\r\n"2.5",nan,1\r\nNA,-3e2,true\r\n');
    expect(t.columnNames).toEqual(['a', 'b,c', 'label']);
    expect(t.numRows).toBe(3);
    expect(Array.from(t.columns[0] as Float64Array)).toEqual([1, 2.5, Number.NaN]);
    expect(Array.from(t.columns[1] as Float64Array)).toEqual([Number.NaN, Number.NaN, -300]);
    expect(Array.from(t.columns[2] as Float64Array)).toEqual([0, 1, 1]);
  });

  it('round-trips doubles written with String()', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 30 }),
        (xs) => {
          const t = parseCsvTable(`x\n${xs.map(String).join('\n')}\n`);
          // String(-0) is "0"
          expect(Array.from(t.columns[0] as Float64Array)).toEqual(xs.map((x) => (Object.is(x, -0) ? 0 : x)));
        },
      ),
    );
  });

  it('flags text only when a column is used', () => {
    const t = parseCsvTable('id,x\nabc,1\ndef,2\n');
    expect(Array.from(toFeatureMatrix(t, ['x']))).toEqual([1, 2]);
    let code = '';
    try {
      tableColumn(t, 'id');
    } catch (err) {
      if (isAmlError(err)) code = err.code;
    }
    expect(code).toBe('AML_ERR_GBDT_DATA');
  });

  it('rejects ragged rows', () => {
    expect(() => parseCsvTable('a,b\n1\n')).toThrow(/expected 2 fields, got 1/);
  });

  it('builds row-major matrices by name, skipping and filling optional features', () => {
    const t = parseCsvTable('qid,b,a\n1,2,3\n4,5,6\n');
    const m = toFeatureMatrix(t, ['a', 'qid', 'b'], {
      skipColumns: ['qid'],
      optionalFeatures: new Set(['qid']),
    });
    expect(Array.from(m)).toEqual([3, Number.NaN, 2, 6, Number.NaN, 5]);
  });
});

describe('parseParquetTable', () => {
  it('reads numeric, integer, boolean and null cells', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'x', data: [1.5, null, -2], type: 'DOUBLE' },
        { name: 'n', data: [1, 2, 3], type: 'INT32' },
        { name: 'flag', data: [true, false, null], type: 'BOOLEAN' },
      ],
    });
    const t = await parseParquetTable(new Uint8Array(bytes));
    expect(t.columnNames).toEqual(['x', 'n', 'flag']);
    expect(Array.from(tableColumn(t, 'x'))).toEqual([1.5, Number.NaN, -2]);
    expect(Array.from(tableColumn(t, 'n'))).toEqual([1, 2, 3]);
    expect(Array.from(tableColumn(t, 'flag'))).toEqual([1, 0, Number.NaN]);
  });
});
