/**
 * `aml-miner tune`: hyperparameter search for a served model.
 * Only the options live here: the implementation (and what it imports) is in
 * tune-action.ts, loaded when the command runs, so that start-up and --help load nothing heavy.
 */
import type { Command } from 'commander';
import { SAMPLERS } from '../../training/tune/sampler-names.js';
import { addLabelledBatchOptions } from '../batch-options.js';
import type { TuneFlags } from './tune-action.js';

export function registerTuneCommand(program: Command): void {
  const command = program
    .command('tune')
    .description(
      'search hyperparameters (TPE or random, k-fold CV) for a served model; writes best params YAML',
    )
    .argument('<model>', 'scorer (alert scorer), ranker (alert ranker) or cluster (cluster scorer)');
  addLabelledBatchOptions(command)
    .option('--trials <n>', 'trial budget', '30')
    .option('--time-budget-s <s>', 'stop starting trials after this many seconds (a running trial finishes)')
    .option('--folds <k>', 'k-fold cross-validation per trial', '3')
    .option('--sampler <name>', `search strategy: ${SAMPLERS.join(' | ')}`, 'tpe')
    .option('--n-startup <n>', 'random trials before TPE takes over', '10')
    .option('--seed <n>', 'seed for the sampler, splits and training', '42')
    .option('--space <yaml>', "search space YAML (default: the model's built-in space)")
    .option('--out <yaml>', 'where to write the best parameters', 'best_params.yaml')
    .option('--trials-out <csv>', 'where to write the trials table', 'trials.csv')
    .option('--quiet', 'no progress output')
    .action(async (model: string, flags: TuneFlags) =>
      (await import('./tune-action.js')).tuneAction(model, flags),
    );
}
