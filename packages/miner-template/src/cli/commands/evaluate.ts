/**
 * `aml-miner evaluate`: model quality on labelled batches (table and HTML report).
 * Only the options live here: the implementation (and what it imports) is in
 * evaluate-action.ts, loaded when the command runs, so that start-up and --help load nothing heavy.
 */
import type { Command } from 'commander';
import { addServedModelOptions } from '../batch-options.js';
import type { EvaluateFlags } from './evaluate-action.js';

export function registerEvaluateCommand(program: Command): void {
  const command = program
    .command('evaluate')
    .description(
      'report model quality on labelled batches: AUC, AUC-PR, precision/recall at the top k %, calibration, top features; writes an HTML report',
    );
  addServedModelOptions(command, 'the models to evaluate, as serve finds them')
    .option('--report <file>', 'where to write the HTML report', 'quality_report.html')
    .option('--top-k <pcts>', 'shares of the queue for precision/recall, in percent', '1,5,10')
    .option('--json', 'print the figures as JSON instead of tables')
    .action(async (flags: EvaluateFlags) => (await import('./evaluate-action.js')).evaluateAction(flags));
}
