/**
 * `aml-miner train scorer|ranker|cluster`: trains a served model from labelled batch folders.
 * Only the options live here: the implementation (and what it imports) is in
 * train-action.ts, loaded when the command runs, so that start-up and --help load nothing heavy.
 */
import type { Command } from 'commander';
import { addLabelledBatchOptions } from '../batch-options.js';
import type { TrainOptions } from './train-action.js';

export function registerTrainCommand(program: Command): void {
  const command = program
    .command('train')
    .description(
      'train a served model (scorer | ranker | cluster) from labelled batch folders; writes the model, its metadata and a quality report (HTML) beside it',
    )
    .argument(
      '<model>',
      'scorer (alert scorer, binary), ranker (alert ranker, lambdarank) or cluster (cluster scorer)',
    );
  addLabelledBatchOptions(command)
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
    .action(async (model: string, opts: TrainOptions) =>
      (await import('./train-action.js')).trainAction(model, opts),
    );
}
