/**
 * `aml-miner sample`: writes a ready-to-send request body (alerts, features, clusters,
 * money_flows) for the miner API from a generated batch, so `curl --data @file` works at once.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { featureTableToRows } from '../../data/feature-table.js';
import { generateBatch } from '../../synthetic/generate.js';
import { checkedFlag, integerFlag } from '../flags.js';

export function registerSampleCommand(program: Command): void {
  program
    .command('sample')
    .description('write a sample /score/alerts request body from a generated batch')
    .option('--alerts <n>', 'alerts in the batch', '200')
    .option('--seed <n>', 'generator seed', '1')
    .option('--date <date>', 'batch date (YYYY-MM-DD)', '2026-01-15')
    .option('--out <file>', 'where to write the JSON body', 'data/sample-request.json')
    .action(async (opts: { alerts: string; seed: string; date: string; out: string }) => {
      const alerts = checkedFlag(integerFlag('--alerts', 1), opts.alerts);
      const seed = checkedFlag(integerFlag('--seed'), opts.seed);
      const { batch } = generateBatch({ date: opts.date, alerts, seed });
      const body = {
        alerts: batch.alerts,
        features: featureTableToRows(batch.features),
        clusters: batch.clusters,
        money_flows: batch.money_flows,
      };
      await mkdir(dirname(opts.out), { recursive: true });
      await writeFile(opts.out, JSON.stringify(body));
      process.stdout.write(
        `wrote ${opts.out}: ${batch.alerts.length} alerts, ${batch.clusters.length} clusters\n`,
      );
    });
}
