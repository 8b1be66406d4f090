/**
 * `aml-miner train scorer|ranker|cluster`: trains one of the served models from labelled batch
 * folders (docs/data-contracts.md layout) and writes `{model}_v{version}.{txt,onnx}` plus its model_metadata.json
 * entry. Hyperparameters default per model (training/defaults.ts); `--param name=value` overrides
 * any LightGBM parameter, and an unknown one is an error. `--params-file` reads parameters from YAML
 * (e.g. `aml-miner tune`'s best_params.yaml); explicit `--param` values override the file's.
 * Beside the model goes `{model}_v{version}.report.html`, its quality report on the held-out rows
 * (training/quality/).
 */
import { amlError, ERRORS } from '../../errors.js';
import { parseGbdtParams } from '../../gbdt/params.js';
import { writeModelArtifacts } from '../../training/artifacts.js';
import { reportPathBeside, writeQualityReport } from '../../training/quality/index.js';
import { modelQuality } from '../../training/quality/model-quality.js';
import { trainModel } from '../../training/train-model.js';
import { mergeParams, readParamsFile } from '../../training/tune/params-file.js';
import { checkedFlag, integerFlag } from '../flags.js';
import {
  type LabelledBatchFlags,
  modelArgument,
  readLabelledBatches,
  windowDaysFlag,
} from '../labelled-batches.js';
import { createProgress } from '../progress.js';

export interface TrainOptions extends LabelledBatchFlags {
  outputDir: string;
  modelVersion: string;
  folds: string;
  seed: string;
  param: string[];
  paramsFile?: string;
  quiet?: boolean;
}

export function parseParamPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw amlError(ERRORS.AML_ERR_GBDT_PARAM, [pair, 'expected name=value']);
    out[pair.slice(0, eq).trim().replace(/-/g, '_')] = pair.slice(eq + 1).trim();
  }
  return out;
}

/** The command's action, loaded only when the command runs. */
export async function trainAction(model: string, opts: TrainOptions): Promise<void> {
  const task = modelArgument(model);
  if (!/^\d+\.\d+\.\d+$/.test(opts.modelVersion)) {
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      `--model-version expects a semantic version like 1.2.0, got "${opts.modelVersion}"`,
    ]);
  }
  const fromFile = opts.paramsFile ? await readParamsFile(opts.paramsFile) : undefined;
  if (fromFile?.model && fromFile.model !== task) {
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      `--params-file ${opts.paramsFile} was tuned for ${fromFile.model}, not ${task}`,
    ]);
  }
  // Every flag is checked before the batches are read: reading and building features takes
  // minutes on real data, and a typo in --param should not cost them.
  const params = mergeParams(fromFile?.params ?? {}, parseParamPairs(opts.param));
  parseGbdtParams(params);
  windowDaysFlag(opts.windowDays);
  const folds = checkedFlag(integerFlag('--folds', 0), opts.folds);
  const seed = checkedFlag(integerFlag('--seed', 0), opts.seed);
  const progress = createProgress(`train ${model}`, { quiet: opts.quiet });
  const batches = await readLabelledBatches(opts, (line) => progress.log(line));
  const result = trainModel({
    task,
    batches,
    version: opts.modelVersion,
    folds,
    seed,
    params,
    onProgress: (event) => {
      if (event.stage === 'features')
        progress.log(`training set: ${event.rows} rows × ${event.columns} features`);
      else if (event.stage === 'selection')
        progress.log(`feature selection kept ${event.kept}, dropped ${event.dropped}`);
      else if (event.stage === 'fold')
        progress.log(`fold ${event.fold}/${event.folds}: ${JSON.stringify(event.metrics)}`);
      else if (event.stage === 'iteration') {
        const metrics = Object.entries(event.info.metrics)
          .map(([k, v]) => `${k}=${v.toFixed(4)}`)
          .join(' ');
        progress.update(event.info.iteration, event.total, `${event.phase} ${metrics}`);
      }
    },
  });
  const written = await writeModelArtifacts(opts.outputDir, result.model, result.metadata);
  progress.done(`held-out ${JSON.stringify(result.metrics)}`);
  const reportPath = reportPathBeside(written.textPath);
  await writeQualityReport(reportPath, {
    title: `Model quality: ${task} v${opts.modelVersion}`,
    source: `held-out test rows (${result.heldOut.numRows}) of ${batches.length} labelled batch(es) under ${opts.dataDir}, never seen in training`,
    models: [modelQuality({ task, version: opts.modelVersion, model: result.model, set: result.heldOut })],
  });
  progress.log(`wrote ${written.textPath}, ${written.onnxPath}, ${written.metadataPath} and ${reportPath}`);
}
