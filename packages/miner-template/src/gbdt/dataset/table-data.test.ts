import { describe, expect, it } from 'vitest';
import type { NumericTable } from '../io/table-reader.js';
import { groupSizes, tableToTrainData } from './table-data.js';

describe('groupSizes', () => {
  it('counts runs of equal query ids', () => {
    expect(Array.from(groupSizes(Float64Array.of(7, 7, 3, 9, 9, 9)))).toEqual([2, 1, 3]);
  });
  it('refuses a query whose rows are split', () => {
    expect(() => groupSizes(Float64Array.of(1, 2, 1))).toThrow(/not contiguous/);
  });
});

describe('tableToTrainData', () => {
  it('takes label, weight and query columns out and keeps the rest as features in file order', () => {
    const table: NumericTable = {
      columnNames: ['qid', 'x1', 'label', 'w', 'x2'],
      columns: [
        Float64Array.of(1, 1, 2),
        Float64Array.of(0.5, Number.NaN, 2),
        Float64Array.of(1, 0, 2),
        Float64Array.of(1, 2, 1),
        Float64Array.of(3, 4, 5),
      ],
      numRows: 3,
      nonNumeric: new Map(),
    };
    const data = tableToTrainData(table, { labelColumn: 'label', weightColumn: 'w', groupColumn: 'qid' });
    expect(data.featureNames).toEqual(['x1', 'x2']);
    expect(Array.from(data.label)).toEqual([1, 0, 2]);
    expect(Array.from(data.weight ?? [])).toEqual([1, 2, 1]);
    expect(Array.from(data.group ?? [])).toEqual([2, 1]);
    expect(Array.from(data.columns?.[1] ?? [])).toEqual([3, 4, 5]);
  });
});
