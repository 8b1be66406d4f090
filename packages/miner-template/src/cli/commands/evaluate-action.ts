/**
 * `aml-miner evaluate`: the quality of the served models on labelled batches — AUC-ROC, AUC-PR,
 * precision/recall at the top k % of the queue, calibration and the top features per model,
 * printed as a table, and an HTML report with ROC and PR curves, a calibration plot and feature
 * importance (inline SVG, opens offline). Models are read as `serve` finds them in --models-dir;
 * rows are built with the feature options their metadata records (training/model-input.ts).
 */
import { resolve } from 'node:path';
import { amlError, ERRORS } from '../../errors.js';
import { modelInputSet } from '../../training/model-input.js';
import {
  formatModelQuality,
  type ModelQuality,
  modelQuality,
  writeQualityReport,
} from '../../training/quality/index.js';
import {
  readLabelledBatches,
  readServedModels,
  type ServedModelFlags,
  stderrLog,
} from '../labelled-batches.js';

export interface EvaluateFlags extends ServedModelFlags {
  report: string;
  topK: string;
  json?: boolean;
}

/** "1,5,10" (percent of the queue) to [0.01, 0.05, 0.1]. */
export function parseTopK(value: string): number[] {
  const out = value.split(',').map((part) => {
    const pct = Number(part.trim());
    if (part.trim() === '' || !(pct > 0 && pct <= 100))
      throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
        `--top-k expects percentages in (0, 100] separated by commas, got "${value}"`,
      ]);
    return pct / 100;
  });
  return [...new Set(out)].sort((a, b) => a - b);
}

export async function runEvaluate(
  flags: EvaluateFlags,
  log: (line: string) => void,
): Promise<{ models: ModelQuality[]; notes: string[] }> {
  const fractions = parseTopK(flags.topK);
  const notes: string[] = [];
  const served = await readServedModels(flags, (task, reason) => notes.push(`${task}: ${reason}`));
  const batches = await readLabelledBatches(flags, log);
  const models: ModelQuality[] = [];
  for (const m of served) {
    const set = modelInputSet(m.task, m.model.featureNames, m.meta, batches);
    if (set.numRows === 0) {
      notes.push(`${m.task}: none of its rows has a label (the labels name no address of the batches)`);
      continue;
    }
    models.push(
      modelQuality({ task: m.task, version: m.version, model: m.model, set, topFractions: fractions }),
    );
  }
  if (models.length === 0)
    throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [
      `labelled rows: the labels under ${flags.dataDir} name no alert of the batches`,
    ]);
  return { models, notes };
}

/** The command's action, loaded only when the command runs. */
export async function evaluateAction(flags: EvaluateFlags): Promise<void> {
  const { models, notes } = await runEvaluate(flags, stderrLog(flags.quiet));
  await writeQualityReport(flags.report, {
    title: 'Model quality report',
    source: `labelled batches under ${flags.dataDir} (${flags.network}, window ${flags.windowDays} days); models from ${flags.modelsDir}`,
    models,
    notes,
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ models, notes, report: resolve(flags.report) }, null, 2)}\n`);
    return;
  }
  const blocks = models.map((q) => formatModelQuality(q));
  process.stdout.write(
    `${[...blocks, ...notes.map((n) => `note: ${n}`), `report: ${resolve(flags.report)}`].join('\n\n')}\n`,
  );
}
