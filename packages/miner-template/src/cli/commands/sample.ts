/**
 * `aml-miner sample`: a ready-to-send request body for the miner API.
 * Only the options live here: the implementation (and what it imports) is in
 * sample-action.ts, loaded when the command runs, so that start-up and --help load nothing heavy.
 */
import type { Command } from 'commander';

export function registerSampleCommand(program: Command): void {
  program
    .command('sample')
    .description('write a sample /score/alerts request body from a generated batch')
    .option('--alerts <n>', 'alerts in the batch', '200')
    .option('--seed <n>', 'generator seed', '1')
    .option('--date <date>', 'batch date (YYYY-MM-DD)', '2026-01-15')
    .option('--out <file>', 'where to write the JSON body', 'data/sample-request.json')
    .action(async (opts: { alerts: string; seed: string; date: string; out: string }) =>
      (await import('./sample-action.js')).sampleAction(opts),
    );
}
