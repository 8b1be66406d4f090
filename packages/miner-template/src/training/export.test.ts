/**
 * The training-data export (issue 13, item 6): its columns are the served model's feature order,
 * its labels, weights and rows are the ones `aml-miner train` learns from on the same batches, it
 * reads back from Parquet and CSV with the same values, and a model fitted on the export's columns
 * in LightGBM's text format drops into a copy of trained_models/ and is served.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { train } from '../gbdt/boosting/gbdt.js';
import { parseCsvTable, parseParquetTable, tableColumn } from '../gbdt/io/table-reader.js';
import { writeModelText } from '../gbdt/text/index.js';
import { closeModels, loadModels } from '../models/model-loader.js';
import { MODEL_NAMES } from '../schemas/api.js';
import { generateBatch } from '../synthetic/generate.js';
import { encodeTrainingCsv, encodeTrainingParquet } from './export.js';
import { modelInputSet } from './model-input.js';
import { readServedModel } from './served-model.js';
import { selectedTrainingSet } from './train-model.js';
import type { LabelledBatch } from './training-set.js';

const SHIPPED = fileURLToPath(new URL('../../../../trained_models', import.meta.url));

const batches: LabelledBatch[] = [1, 2].map((d) => {
  const { batch, labels } = generateBatch({ date: `2026-02-0${d}`, alerts: 250, seed: 30 + d });
  return { batch, labels };
});

describe.each(MODEL_NAMES)('export of %s training data', (task) => {
  it("has the served model's column order and the trainer's rows, labels and weights; Parquet and CSV read back", async () => {
    const served = await readServedModel(SHIPPED, task);
    if (!served) throw new Error(`no shipped ${task}`);
    const set = modelInputSet(task, served.model.featureNames, served.meta, batches);
    const trainer = selectedTrainingSet(task, batches).set;
    expect(set.numRows).toBeGreaterThan(20);
    expect(set.rowIds).toEqual(trainer.rowIds);

    const parquet = await parseParquetTable(encodeTrainingParquet(set, batches));
    const csv = parseCsvTable(encodeTrainingCsv(set, batches));
    for (const table of [parquet, csv]) {
      expect(table.columnNames).toEqual(['row_id', 'batch', 'label', 'weight', ...served.model.featureNames]);
      expect(table.numRows).toBe(set.numRows);
      expect([...tableColumn(table, 'label')]).toEqual([...trainer.label]);
      expect([...tableColumn(table, 'weight')]).toEqual([...trainer.weight]);
      // every feature cell is the float32 value the model is served (NaN stays missing)
      const width = set.names.length;
      served.model.featureNames.forEach((name, c) => {
        const expected = Array.from({ length: set.numRows }, (_, r) => set.values[r * width + c]);
        expect([...tableColumn(table, name)], name).toEqual(expected);
      });
    }
    // the ranker's query groups: rows of a batch are contiguous, batches in order
    const dates = batches.map((b) => b.batch.key.processing_date);
    const batchCells = encodeTrainingCsv(set, batches)
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[1]);
    const runs = batchCells.filter((d, i) => i === 0 || d !== batchCells[i - 1]);
    expect(runs).toEqual(dates);
  });
});

describe('a model fitted on the export drops into trained_models/', () => {
  it('is loaded and served with no metadata change', async () => {
    const served = await readServedModel(SHIPPED, 'alert_scorer');
    if (!served) throw new Error('no shipped alert_scorer');
    const set = modelInputSet('alert_scorer', served.model.featureNames, served.meta, batches);
    const table = await parseParquetTable(encodeTrainingParquet(set, batches));
    // fitted from the file alone, as a Python user would: features by the export's column names
    const features = served.model.featureNames;
    const values = new Float64Array(table.numRows * features.length);
    features.forEach((name, c) => {
      const col = tableColumn(table, name);
      for (let r = 0; r < table.numRows; r++) values[r * features.length + c] = col[r];
    });
    const { model } = train(
      {
        features: values,
        numRows: table.numRows,
        featureNames: [...features],
        label: tableColumn(table, 'label'),
        weight: tableColumn(table, 'weight'),
      },
      { objective: 'binary', num_iterations: 5, num_leaves: 7, min_data_in_leaf: 5, verbosity: -1 },
    );
    const dir = await mkdtemp(join(tmpdir(), 'aml-export-dropin-'));
    try {
      await cp(SHIPPED, dir, { recursive: true });
      await writeFile(join(dir, 'alert_scorer_v9.0.0.txt'), writeModelText(model));
      const loaded = await loadModels({ modelsDir: dir });
      try {
        expect(loaded.failures).toEqual([]);
        expect(loaded.alertScorer?.version).toBe('9.0.0');
        const scores = await loaded.alertScorer!.score(batches[0].batch);
        expect(scores.length).toBe(batches[0].batch.alerts.length);
      } finally {
        await closeModels(loaded);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
