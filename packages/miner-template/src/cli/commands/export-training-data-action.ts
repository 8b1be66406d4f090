/**
 * `aml-miner export-training-data`: the feature matrix, labels and weights of labelled batches as
 * Parquet and/or CSV, with the feature columns in the exact order the served model in --models-dir
 * declares (training/export.ts), for training in Python. Beside each table, `{model}.columns.json`
 * names the feature columns in order and what the label and weight mean. Walkthrough:
 * docs/customization.md.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../data/fs-atomic.js';
import { amlError, ERRORS } from '../../errors.js';
import type { ModelName } from '../../schemas/api.js';
import {
  EXPORT_FORMATS,
  EXPORT_KEY_COLUMNS,
  EXPORT_TARGET_COLUMNS,
  type ExportFormat,
  encodeTrainingCsv,
  encodeTrainingParquet,
} from '../../training/export.js';
import { modelInputSet } from '../../training/model-input.js';
import {
  readLabelledBatches,
  readServedModels,
  type ServedModelFlags,
  stderrLog,
} from '../labelled-batches.js';

export interface ExportFlags extends ServedModelFlags {
  outDir: string;
  format: string;
}

const LABEL_MEANING: Record<ModelName, string> = {
  alert_scorer: "1 when the alert's address is labelled high or critical risk, else 0",
  alert_ranker: 'graded relevance of the address label: low 0, medium 1, high 2, critical 3',
  cluster_scorer: '1 when any alert of the cluster is positive, else 0',
};
const WEIGHT_MEANING: Record<ModelName, string> = {
  alert_scorer: "the label's confidence_score",
  alert_ranker: "the label's confidence_score (LightGBM lambdarank ignores row weights)",
  cluster_scorer: '1',
};

export function parseFormats(value: string): ExportFormat[] {
  const parts = value.split(',').map((p) => p.trim());
  for (const p of parts)
    if (!(EXPORT_FORMATS as readonly string[]).includes(p))
      throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
        `--format expects ${EXPORT_FORMATS.join(' and/or ')} (comma-separated), got "${value}"`,
      ]);
  return [...new Set(parts as ExportFormat[])];
}

/** Writes the export; returns one summary line per file. */
export async function runExport(flags: ExportFlags, log: (line: string) => void): Promise<string[]> {
  const formats = parseFormats(flags.format);
  // The column order is the served model's: without one there is no order to promise, so a
  // missing model is an error even under --model all.
  const models = await readServedModels(flags);
  const batches = await readLabelledBatches(flags, log);
  await mkdir(flags.outDir, { recursive: true });
  const written: string[] = [];
  for (const m of models) {
    const set = modelInputSet(m.task, m.model.featureNames, m.meta, batches);
    if (set.numRows === 0)
      throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [
        `labelled rows for ${m.task}: the labels under ${flags.dataDir} name no alert of the batches`,
      ]);
    for (const format of formats) {
      const path = join(flags.outDir, `${m.task}.${format}`);
      await writeFileAtomic(
        path,
        format === 'parquet' ? encodeTrainingParquet(set, batches) : encodeTrainingCsv(set, batches),
      );
      written.push(`${path}: ${set.numRows} rows × ${set.names.length} features`);
    }
    const columnsPath = join(flags.outDir, `${m.task}.columns.json`);
    const columns = {
      model: m.task,
      model_version: m.version,
      model_file: m.file,
      objective: m.model.objective,
      key_columns: EXPORT_KEY_COLUMNS,
      target_columns: EXPORT_TARGET_COLUMNS,
      label: LABEL_MEANING[m.task],
      weight: WEIGHT_MEANING[m.task],
      group: 'rows of one batch (processing date) are contiguous: one query group per batch',
      rows: set.numRows,
      batches: batches.map((b) => b.batch.key.processing_date),
      feature_names: set.names,
    };
    await writeFileAtomic(columnsPath, `${JSON.stringify(columns, null, 2)}\n`);
    written.push(`${columnsPath}: ${set.names.length} feature columns in the model's order`);
  }
  return written;
}

/** The command's action, loaded only when the command runs. */
export async function exportTrainingDataAction(flags: ExportFlags): Promise<void> {
  const lines = await runExport(flags, stderrLog(flags.quiet));
  process.stdout.write(`${lines.map((l) => `wrote ${l}`).join('\n')}\n`);
}
