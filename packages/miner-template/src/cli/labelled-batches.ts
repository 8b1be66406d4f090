/**
 * What `train`, `tune`, `evaluate` and `export-training-data` share: the model argument (scorer |
 * ranker | cluster), the options that pick labelled batch folders under a data root, and the served
 * models to read, with the readable errors a CLI owes (a folder that does not exist, no labelled
 * batch in it, no such model).
 */
import { stat } from 'node:fs/promises';
import { amlError, ERRORS } from '../errors.js';
import { MODEL_NAMES, type ModelName } from '../schemas/api.js';
import { loadLabelledBatches } from '../training/load-batches.js';
import { readServedModel, type ServedModel } from '../training/served-model.js';
import type { LabelledBatch } from '../training/training-set.js';
import type { LabelledBatchFlags, ServedModelFlags } from './batch-options.js';
import { checkedFlag, integerFlag } from './flags.js';

export {
  addLabelledBatchOptions,
  addServedModelOptions,
  type LabelledBatchFlags,
  type ServedModelFlags,
} from './batch-options.js';

export const MODEL_ARGUMENTS: Readonly<Record<string, ModelName>> = {
  scorer: 'alert_scorer',
  ranker: 'alert_ranker',
  cluster: 'cluster_scorer',
};

/** scorer | ranker | cluster (or the model's own name) to the model; a readable error otherwise. */
export function modelArgument(value: string): ModelName {
  const task = MODEL_ARGUMENTS[value] ?? Object.values(MODEL_ARGUMENTS).find((name) => name === value);
  if (!task)
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      `unknown model "${value}" (expected scorer, ranker or cluster)`,
    ]);
  return task;
}

export function windowDaysFlag(value: string): number {
  return checkedFlag(integerFlag('--window-days', 1), value);
}

export async function assertDirectory(flag: string, path: string): Promise<void> {
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [`${flag} ${path} (no such directory)`]);
}

/** The labelled batches the flags name; `log` hears which were read and which skipped. */
export async function readLabelledBatches(
  flags: LabelledBatchFlags,
  log: (line: string) => void,
): Promise<LabelledBatch[]> {
  const windowDays = windowDaysFlag(flags.windowDays);
  await assertDirectory('--data-dir', flags.dataDir);
  const { batches, skipped } = await loadLabelledBatches({
    root: flags.dataDir,
    network: flags.network,
    windowDays,
    startDate: flags.startDate,
    endDate: flags.endDate,
  });
  for (const s of skipped) log(`skipped ${s.date}: ${s.reason}`);
  log(`${batches.length} labelled batch(es): ${batches.map((b) => b.batch.key.processing_date).join(', ')}`);
  return batches;
}

/** Progress lines to stderr (stdout carries the result), or nowhere with --quiet. */
export function stderrLog(quiet: boolean | undefined): (line: string) => void {
  return (line) => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };
}

/**
 * The models --model names, read from --models-dir. A model without a file is an error when named
 * (or when `onAbsent` is not given); under `all` it is passed to `onAbsent` and left out.
 */
export async function readServedModels(
  flags: ServedModelFlags,
  onAbsent?: (task: ModelName, reason: string) => void,
): Promise<ServedModel[]> {
  const tasks = flags.model === 'all' ? [...MODEL_NAMES] : [modelArgument(flags.model)];
  windowDaysFlag(flags.windowDays);
  await assertDirectory('--models-dir', flags.modelsDir);
  const served: ServedModel[] = [];
  for (const task of tasks) {
    const m = await readServedModel(flags.modelsDir, task);
    const reason = `no ${task}_v<version>.txt in ${flags.modelsDir}`;
    if (m) served.push(m);
    else if (onAbsent && flags.model === 'all') onAbsent(task, reason);
    else throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [reason]);
  }
  if (served.length === 0)
    throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [`no model files (*_v<version>.txt) in ${flags.modelsDir}`]);
  return served;
}
