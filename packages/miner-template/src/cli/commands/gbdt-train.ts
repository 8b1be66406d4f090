/**
 * `aml-miner gbdt train`: LightGBM-style training from a CSV or Parquet file.
 * Only the options live here: the implementation (and what it imports) is in
 * gbdt-train-action.ts, loaded when the command runs, so that start-up and --help load nothing heavy.
 */
import type { Command } from 'commander';
import type { TrainCliOptions } from './gbdt-train-action.js';

export function registerGbdtTrainCommand(gbdt: Command): void {
  gbdt
    .command('train')
    .description('train a LightGBM-compatible model; other --name value pairs are LightGBM parameters')
    .requiredOption('--data <file>', 'training data (.csv with header, or .parquet)')
    .requiredOption('--label-column <name>', 'label column')
    .option('--group-column <name>', 'query id column (lambdarank); rows of a query must be contiguous')
    .option('--weight-column <name>', 'sample weight column')
    .option('--valid <file>', 'validation data for metrics and early stopping')
    .option('--objective <name>', 'binary | lambdarank | regression')
    .requiredOption('--output <file>', 'where to write model.txt')
    .option('--quiet', 'no progress lines')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(async (opts: TrainCliOptions, command: Command) =>
      (await import('./gbdt-train-action.js')).gbdtTrainAction(opts, command),
    );
}
