/**
 * `aml-miner export-training-data`: labelled batches as Parquet/CSV in the served model's column order.
 * Only the options live here: the implementation (and what it imports) is in
 * export-training-data-action.ts, loaded when the command runs, so that start-up and --help load nothing heavy.
 */
import type { Command } from 'commander';
import { addServedModelOptions } from '../batch-options.js';
import type { ExportFlags } from './export-training-data-action.js';

export function registerExportTrainingDataCommand(program: Command): void {
  const command = program
    .command('export-training-data')
    .description(
      "write labelled batches' feature matrix, labels and weights as Parquet/CSV in the served model's column order (for training in Python)",
    );
  addServedModelOptions(command, 'the served models whose column order the export follows')
    .option(
      '--out-dir <dir>',
      'where to write {model}.parquet, {model}.csv and {model}.columns.json',
      'training_export',
    )
    .option('--format <list>', 'parquet, csv or both (comma-separated)', 'parquet,csv')
    .action(async (flags: ExportFlags) =>
      (await import('./export-training-data-action.js')).exportTrainingDataAction(flags),
    );
}
