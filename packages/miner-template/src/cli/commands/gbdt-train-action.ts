/**
 * `aml-miner gbdt train`: LightGBM-style training from a CSV or Parquet file. The fixed options
 * name the data and its special columns; any other `--name value` (with - or _) is passed to the
 * trainer as a LightGBM parameter, where an unknown name is an error. Progress goes to stderr, the
 * model text to --output.
 */
import { writeFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import { amlError, ERRORS } from '../../errors.js';
import { train } from '../../gbdt/boosting/gbdt.js';
import { tableToTrainData } from '../../gbdt/dataset/table-data.js';
import { readTableFile } from '../../gbdt/io/table-reader.js';
import { writeModelText } from '../../gbdt/text/index.js';

export interface TrainCliOptions {
  data: string;
  labelColumn: string;
  groupColumn?: string;
  weightColumn?: string;
  valid?: string;
  output: string;
  objective?: string;
  quiet?: boolean;
}

/** Pairs `--name value` / `--name=value` from the arguments commander did not recognise. */
export function parseExtraParams(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw amlError(ERRORS.AML_ERR_GBDT_PARAM, [arg, 'expected --name value']);
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out[arg.slice(2, eq)] = arg.slice(eq + 1);
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || (value.startsWith('--') && !/^--?\d/.test(value))) {
      throw amlError(ERRORS.AML_ERR_GBDT_PARAM, [arg.slice(2), 'missing value']);
    }
    out[arg.slice(2)] = value;
    i++;
  }
  return out;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * Keeps V8's young generation at its starting size for this process. The bins start node with a
 * young generation that may grow to 64 MB per half (request parsing in `serve` needs it), and
 * training's short-lived objects, with the few that survive each collection (the trees), grow it
 * to 4 MB per half by the end of a 200-tree run: 6 MB of a 75 MB peak, with no measurable gain in
 * speed. The growth factor is read at each resize, so setting it here holds from now on; it
 * changes only when the young generation grows, never what the program computes.
 */
function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** The command's action, loaded only when the command runs. */
export async function gbdtTrainAction(opts: TrainCliOptions, command: Command): Promise<void> {
  keepYoungGenerationSmall();
  const params: Record<string, string> = parseExtraParams(command.args);
  if (opts.objective !== undefined) params.objective = opts.objective;
  const columns = {
    labelColumn: opts.labelColumn,
    groupColumn: opts.groupColumn,
    weightColumn: opts.weightColumn,
  };
  const data = tableToTrainData(await readTableFile(opts.data), columns);
  const valid = opts.valid
    ? tableToTrainData(await readTableFile(opts.valid), { ...columns, featureNames: data.featureNames })
    : undefined;
  // LightGBM's verbosity < 0 silences progress too.
  const verbosity = Number(params.verbosity ?? params.verbose ?? 1);
  const log = (line: string) => {
    if (!opts.quiet && !(verbosity < 0)) process.stderr.write(`${line}\n`);
  };
  log(
    `[gbdt] ${data.numRows} rows × ${data.featureNames.length} features${valid ? `, ${valid.numRows} valid rows` : ''}`,
  );
  const result = train(data, params, {
    valid,
    onIteration: ({ iteration, metrics, elapsedMs, etaMs }) => {
      const shown = Object.entries(metrics)
        .map(([name, value]) => `${name}=${value.toFixed(6)}`)
        .join(' ');
      log(
        `[gbdt] iter ${iteration} ${shown} elapsed ${formatDuration(elapsedMs)} eta ${formatDuration(etaMs)}`,
      );
    },
  });
  await writeFile(opts.output, writeModelText(result.model));
  log(
    `[gbdt] wrote ${result.model.trees.length} trees (best iteration ${result.bestIteration}) to ${opts.output}`,
  );
}
