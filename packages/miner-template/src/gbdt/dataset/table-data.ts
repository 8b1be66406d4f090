/**
 * Turns a numeric table (CSV/Parquet read by gbdt/io) into TrainData: the label, optional weight
 * and query columns are taken out, every other column is a feature in file order. Query sizes
 * come from runs of equal query ids, as LightGBM expects rows of a query to be contiguous.
 */
import { amlError, ERRORS } from '../../errors.js';
import type { NumericTable } from '../io/table-reader.js';
import { tableColumn } from '../io/table-reader.js';
import type { TrainData } from './train-data.js';

export interface TableColumns {
  labelColumn: string;
  weightColumn?: string;
  groupColumn?: string;
  /** Feature names to use, in order (e.g. the training set's for a validation file). */
  featureNames?: readonly string[];
}

export function tableToTrainData(table: NumericTable, spec: TableColumns): TrainData {
  const label = tableColumn(table, spec.labelColumn);
  const weight = spec.weightColumn !== undefined ? tableColumn(table, spec.weightColumn) : undefined;
  const group = spec.groupColumn !== undefined ? groupSizes(tableColumn(table, spec.groupColumn)) : undefined;
  const special = new Set([spec.labelColumn, spec.weightColumn, spec.groupColumn]);
  const featureNames = spec.featureNames
    ? [...spec.featureNames]
    : table.columnNames.filter((name) => !special.has(name));
  const columns = featureNames.map((name) => tableColumn(table, name));
  return { columns, numRows: table.numRows, featureNames, label, weight, group };
}

/** Sizes of consecutive runs of equal query ids; a query id reappearing later is an error. */
export function groupSizes(queryIds: Float64Array): Int32Array {
  const sizes: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < queryIds.length; i++) {
    const q = queryIds[i];
    if (Number.isNaN(q)) throw amlError(ERRORS.AML_ERR_GBDT_DATA, [`missing query id at row ${i}`]);
    if (i > 0 && q === queryIds[i - 1]) sizes[sizes.length - 1]++;
    else {
      if (seen.has(q))
        throw amlError(ERRORS.AML_ERR_GBDT_DATA, [`rows of query ${q} are not contiguous (row ${i})`]);
      seen.add(q);
      sizes.push(1);
    }
  }
  return Int32Array.from(sizes);
}
