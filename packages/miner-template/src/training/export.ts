/**
 * The training data of a model for use outside this package (Python LightGBM, notebooks): one row
 * per labelled alert (or cluster) with `row_id`, `batch` (the processing date: the ranker's query
 * group, rows of a batch are contiguous), `label`, `weight`, then the feature columns in exactly
 * the order the model declares, so a model fitted on `df[feature_names]` names its features as the
 * served model does and drops into trained_models/. Values are the float32 the model sees; a
 * missing value is NaN in Parquet and an empty cell in CSV. Pure: encoding only, no file I/O.
 */

import { encodeKeyedNumbersParquet } from '../data/codec-parquet.js';
import { csvLine } from '../data/csv.js';
import type { LabelledBatch, TrainingSet } from './training-set.js';

export const EXPORT_KEY_COLUMNS = ['row_id', 'batch'] as const;
export const EXPORT_TARGET_COLUMNS = ['label', 'weight'] as const;
export { EXPORT_FORMATS, type ExportFormat } from './export-formats.js';

/** All columns of the export, in file order. */
export function exportColumns(set: TrainingSet): string[] {
  return [...EXPORT_KEY_COLUMNS, ...EXPORT_TARGET_COLUMNS, ...set.names];
}

function batchColumn(set: TrainingSet, batches: readonly LabelledBatch[]): string[] {
  return Array.from(set.batchIndex, (b) => batches[b].batch.key.processing_date);
}

function featureColumn(set: TrainingSet, c: number): Float64Array {
  const width = set.names.length;
  const out = new Float64Array(set.numRows);
  for (let r = 0; r < set.numRows; r++) out[r] = set.values[r * width + c];
  return out;
}

export function encodeTrainingParquet(set: TrainingSet, batches: readonly LabelledBatch[]): Uint8Array {
  const numbers: [string, Float64Array][] = [
    ['label', set.label],
    ['weight', set.weight],
    ...set.names.map((name, c): [string, Float64Array] => [name, featureColumn(set, c)]),
  ];
  return encodeKeyedNumbersParquet(
    [
      { name: 'row_id', data: set.rowIds },
      { name: 'batch', data: batchColumn(set, batches) },
    ],
    numbers,
  );
}

export function encodeTrainingCsv(set: TrainingSet, batches: readonly LabelledBatch[]): string {
  const dates = batchColumn(set, batches);
  const width = set.names.length;
  const lines = [csvLine(exportColumns(set))];
  for (let r = 0; r < set.numRows; r++) {
    const row: unknown[] = [set.rowIds[r], dates[r], set.label[r], set.weight[r]];
    for (let c = 0; c < width; c++) row.push(set.values[r * width + c]);
    lines.push(csvLine(row));
  }
  return `${lines.join('\n')}\n`;
}
