/**
 * `aml-miner train scorer|ranker|cluster`: trains one of the served models from labelled batch
 * folders (SPEC §1 layout) and writes `{model}_v{version}.{txt,onnx}` plus its model_metadata.json
 * entry. Hyperparameters default per model (training/defaults.ts); `--param name=value` overrides
 * any LightGBM parameter, and an unknown one is an error. `--params-file` reads parameters from YAML
 * (e.g. `aml-miner tune`'s best_params.yaml); explicit `--param` values override the file's.
 */
import type { Command } from 'commander';
import { amlError, ERRORS } from '../../errors.js';
import { parseGbdtParams } from '../../gbdt/params.js';
import type { ModelName } from '../../schemas/api.js';
import { writeModelArtifacts } from '../../training/artifacts.js';
import { loadLabelledBatches } from '../../training/load-batches.js';
import { trainModel } from '../../training/train-model.js';
import { mergeParams, readParamsFile } from '../../training/tune/params-file.js';
import { createProgress } from '../progress.js';

const TASKS: Record<string, ModelName> = {
  scorer: 'alert_scorer',
  ranker: 'alert_ranker',
  cluster: 'cluster_scorer',
};

interface TrainOptions {
  dataDir: string;
  network: string;
  windowDays: string;
  startDate?: string;
  endDate?: string;
  outputDir: string;
  modelVersion: string;
  folds: string;
  seed: string;
  param: string[];
  paramsFile?: string;
  quiet?: boolean;
}

function integer(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [`--${name} expects an integer >= ${min}, got "${value}"`]);
  return n;
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

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train a served model (scorer | ranker | cluster) from labelled batch folders')
    .argument(
      '<model>',
      'scorer (alert scorer, binary), ranker (alert ranker, lambdarank) or cluster (cluster scorer)',
    )
    .option('--data-dir <dir>', 'root of the batch folders ({network}/{date}/{window}/ and labels/)', 'data')
    .option('--network <name>', 'network', 'torus')
    .option('--window-days <n>', 'window of the batches', '7')
    .option('--start-date <date>', 'first date (YYYY-MM-DD), inclusive')
    .option('--end-date <date>', 'last date (YYYY-MM-DD), inclusive')
    .option('--output-dir <dir>', 'where to write the model files and model_metadata.json', 'trained_models')
    .option('--model-version <semver>', 'version of the new model', '1.0.0')
    .option('--folds <k>', 'k-fold cross-validation on the training part (0 = off)', '0')
    .option('--seed <n>', 'seed for splits, sampling and training', '42')
    .option(
      '--param <name=value>',
      'a LightGBM parameter (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option(
      '--params-file <yaml>',
      "parameters from YAML (e.g. tune's best_params.yaml); --param overrides them",
    )
    .option('--quiet', 'no progress output')
    .action(async (model: string, opts: TrainOptions) => {
      const task = TASKS[model];
      if (!task)
        throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
          `unknown model "${model}" (expected scorer, ranker or cluster)`,
        ]);
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
      const windowDays = integer('window-days', opts.windowDays, 1);
      const folds = integer('folds', opts.folds, 0);
      const seed = integer('seed', opts.seed, 0);
      const progress = createProgress(`train ${model}`, { quiet: opts.quiet });
      const { batches, skipped } = await loadLabelledBatches({
        root: opts.dataDir,
        network: opts.network,
        windowDays,
        startDate: opts.startDate,
        endDate: opts.endDate,
      });
      for (const s of skipped) progress.log(`skipped ${s.date}: ${s.reason}`);
      progress.log(
        `${batches.length} labelled batch(es): ${batches.map((b) => b.batch.key.processing_date).join(', ')}`,
      );
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
      progress.log(`wrote ${written.textPath}, ${written.onnxPath} and ${written.metadataPath}`);
    });
}
