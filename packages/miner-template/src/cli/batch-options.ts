/**
 * The options `train`, `tune`, `evaluate` and `export-training-data` share, declared apart from
 * the code that reads batches and models (labelled-batches.ts) so that registering the commands
 * loads nothing heavy: `aml-miner --help` and every other command start without it.
 */
import type { Command } from 'commander';

export interface LabelledBatchFlags {
  dataDir: string;
  network: string;
  windowDays: string;
  startDate?: string;
  endDate?: string;
}

export function addLabelledBatchOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'root of the batch folders ({network}/{date}/{window}/ and labels/)', 'data')
    .option('--network <name>', 'network', 'torus')
    .option('--window-days <n>', 'window of the batches', '7')
    .option('--start-date <date>', 'first date (YYYY-MM-DD), inclusive')
    .option('--end-date <date>', 'last date (YYYY-MM-DD), inclusive');
}

export interface ServedModelFlags extends LabelledBatchFlags {
  modelsDir: string;
  /** all | scorer | ranker | cluster */
  model: string;
  quiet?: boolean;
}

/** The labelled-batch options plus --models-dir, --model and --quiet. */
export function addServedModelOptions(command: Command, modelsDirHelp: string): Command {
  return addLabelledBatchOptions(command)
    .option('--models-dir <dir>', modelsDirHelp, 'trained_models')
    .option('--model <name>', 'all | scorer | ranker | cluster', 'all')
    .option('--quiet', 'no progress lines on stderr');
}
