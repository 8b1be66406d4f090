/**
 * `aml-miner generate`: writes a synthetic SOT batch folder plus its labels (see synthetic/). Options
 * are validated up front (a readable AmlError line, exit 1); progress goes to stderr for large
 * batches and a one-line summary to stdout.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeBatchFolder } from '../../data/batch-folder.js';
import { amlError, ERRORS } from '../../errors.js';
import { TABLE_FORMATS, type TableFormat } from '../../schemas/meta.js';
import { generateBatch } from '../../synthetic/generate.js';
import { checkedFlag, integerFlag, numberFlag } from '../flags.js';

export interface GenerateFlags {
  network: string;
  date: string;
  alerts: string;
  seed: string;
  windowDays: string;
  difficulty: string;
  format: string;
  out: string;
  truth?: string;
  quiet?: boolean;
}

/** Progress lines start at this many alerts (small batches take well under a second). */
const PROGRESS_FROM = 10_000;

export async function runGenerate(flags: GenerateFlags): Promise<string> {
  if (!(TABLE_FORMATS as readonly string[]).includes(flags.format)) {
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      `--format must be one of ${TABLE_FORMATS.join(', ')}, got "${flags.format}"`,
    ]);
  }
  const alerts = checkedFlag(integerFlag('--alerts'), flags.alerts);
  const started = Date.now();
  const verbose = !flags.quiet && alerts >= PROGRESS_FROM;
  const progress = (message: string) => {
    if (verbose) process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
  };
  const { batch, labels, truth } = generateBatch({
    network: flags.network,
    date: flags.date,
    alerts,
    seed: checkedFlag(numberFlag('--seed', 'any'), flags.seed),
    windowDays: checkedFlag(integerFlag('--window-days'), flags.windowDays),
    difficulty: checkedFlag(numberFlag('--difficulty', 'any'), flags.difficulty),
    onProgress: progress,
  });
  progress(`writing ${flags.format} tables to ${flags.out}`);
  const { dir } = await writeBatchFolder(flags.out, batch, {
    format: flags.format as TableFormat,
    labels,
    createdBy: 'aml-miner generate',
  });
  if (flags.truth !== undefined) {
    await mkdir(dirname(flags.truth), { recursive: true });
    await writeFile(flags.truth, `${JSON.stringify(truth)}\n`);
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  return (
    `wrote ${batch.alerts.length} alerts, ${batch.features.address.length} feature rows, ` +
    `${batch.clusters.length} clusters, ${batch.money_flows.length} money flows and ${labels.length} labels ` +
    `(positive rate ${(truth.positive_rate * 100).toFixed(1)}%) to ${dir} in ${secs}s`
  );
}

/** The command's action, loaded only when the command runs. */
export async function generateAction(flags: GenerateFlags): Promise<void> {
  process.stdout.write(`${await runGenerate(flags)}\n`);
}
