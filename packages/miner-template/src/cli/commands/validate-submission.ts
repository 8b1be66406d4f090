/**
 * `aml-miner validate-submission`: one rehearsed validator cycle against a miner.
 * Only the options live here: the implementation (and what it imports) is in
 * validate-submission-action.ts, loaded when the command runs, so that start-up and --help load nothing heavy.
 */
import type { Command } from 'commander';
import { PRODUCERS } from '../../tiers/producers.js';
import type { Options } from './validate-submission-action.js';

export function registerValidateSubmissionCommand(program: Command): void {
  program
    .command('validate-submission')
    .description('rehearse a validator cycle (tiers 1–3, reference, copy check) and a determinism check')
    .option('--api-url <url>', 'a running miner API (default: score with the local model files)')
    .option('--models-dir <dir>', 'model files to score with when no --api-url is given', 'trained_models')
    .option('--alerts <n>', 'alerts in the generated batch', '1000')
    .option('--traps <n>', 'pattern traps mixed in', '50')
    .option('--seed <n>', 'seed of the generated batch and traps', '7')
    .option('--date <date>', 'batch date (YYYY-MM-DD)', '2026-01-01')
    .option('--producer <name>', `whose batch to rehearse on: ${PRODUCERS.join(' | ')}`, 'ours')
    .option('--timeout-s <s>', 'timeout per answer, as the validator applies it', '120')
    .option('--json', 'print the report as JSON')
    .action(async (opts: Options) =>
      (await import('./validate-submission-action.js')).validateSubmissionAction(opts),
    );
}
