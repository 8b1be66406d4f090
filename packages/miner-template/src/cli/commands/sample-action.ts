/**
 * `aml-miner sample`: writes a ready-to-send request body (alerts, features, clusters,
 * money_flows) for the miner API from a generated batch, so `curl --data @file` works at once.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { featureTableToRows } from '../../data/feature-table.js';
import { generateBatch } from '../../synthetic/generate.js';
import { checkedFlag, integerFlag } from '../flags.js';

/** The command's action, loaded only when the command runs. */
export async function sampleAction(opts: {
  alerts: string;
  seed: string;
  date: string;
  out: string;
}): Promise<void> {
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
}
