/**
 * `aml-miner download`: fetches SOT batches for a date range into a local batch root.
 * Only the options live here: the implementation (and what it imports) is in
 * download-action.ts, loaded when the command runs, so that start-up and --help load nothing heavy.
 */
import type { Command } from 'commander';
import type { DownloadFlags } from './download-action.js';

export function registerDownloadCommand(program: Command): void {
  program
    .command('download')
    .description('download SOT batches (META.json + tables, md5-checked, resumable) for a date range')
    .requiredOption('--network <name>', 'network, e.g. torus or ethereum')
    .requiredOption('--start-date <YYYY-MM-DD>', 'first processing date')
    .option('--end-date <YYYY-MM-DD>', 'last processing date (default: the start date)')
    .option('--window-days <n>', 'window of the batches', '7')
    .requiredOption('--base-url <url>', 'base URL laid out as {network}/{date}/{window}/META.json')
    .option('--out <dir>', 'local batch root', 'data')
    .option('--retries <n>', 'retries per request on transient errors', '3')
    .option('--no-labels', 'do not fetch labels/{network}/{date}.*')
    .option('--skip-missing', 'skip dates the server does not have instead of failing')
    .action(async (flags: DownloadFlags) => (await import('./download-action.js')).downloadAction(flags));
}
