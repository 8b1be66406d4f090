/** The list of aml-miner subcommands. Add one line per command module. */
import type { Command } from 'commander';
import { registerDownloadCommand } from './download.js';
import { registerEvaluateCommand } from './evaluate.js';
import { registerExportTrainingDataCommand } from './export-training-data.js';
import { registerGbdtCommands } from './gbdt.js';
import { registerGenerateCommand } from './generate.js';
import { registerSampleCommand } from './sample.js';
import { registerServeCommand } from './serve.js';
import { registerTrainCommand } from './train.js';
import { registerTuneCommand } from './tune.js';
import { registerValidateSubmissionCommand } from './validate-submission.js';

type Register = (program: Command) => void;

const registrations: Register[] = [
  registerGbdtCommands,
  registerServeCommand,
  registerDownloadCommand,
  registerTrainCommand,
  registerEvaluateCommand,
  registerExportTrainingDataCommand,
  registerValidateSubmissionCommand,
  registerGenerateCommand,
  registerTuneCommand,
  registerSampleCommand,
];

export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}
