/**
 * `aml-miner generate`: a synthetic SOT batch folder plus its labels.
 * Only the options live here: the implementation (and what it imports) is in
 * generate-action.ts, loaded when the command runs, so that start-up and --help load nothing heavy.
 */
import type { Command } from 'commander';
import { TABLE_FORMATS } from '../../schemas/table-formats.js';
import type { GenerateFlags } from './generate-action.js';

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('generate a synthetic SOT batch (alerts, features, clusters, money_flows) and its labels')
    .option('--network <name>', 'network name', 'torus')
    .requiredOption('--date <YYYY-MM-DD>', 'processing date (the window ends at the end of this day, UTC)')
    .option('--alerts <n>', 'target number of alerts (1 to 1,000,000)', '10000')
    .option('--seed <n>', 'random seed: the same options give byte-identical output', '7')
    .option('--window-days <n>', 'window length in days', '7')
    .option('--difficulty <x>', '0..1: more hard negatives, noisier confidences and labels', '0.5')
    .option('--format <format>', `table format: ${TABLE_FORMATS.join(' | ')}`, 'parquet')
    .option('--out <dir>', 'batch root to write under', 'data')
    .option('--truth <file>', 'also write the generator truth (per-alert, planted instances) as JSON')
    .option('--quiet', 'no progress on stderr')
    .action(async (flags: GenerateFlags) => (await import('./generate-action.js')).generateAction(flags));
}
