/**
 * The YAML files around tuning: best_params.yaml (written by `tune`, read by `train --params-file`)
 * and the optional search-space file (`tune --space`). Reading validates: parameter names go
 * through the GBDT schema, so an unknown one is an error naming it, not a silently ignored key.
 */
import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { amlError, ERRORS } from '../../errors.js';
import { canonicalParamName, parseGbdtParams } from '../../gbdt/params.js';
import { parseSearchSpace, type SearchSpace } from './space.js';
import type { TuneModelResult } from './tune-model.js';

/** Round to 6 significant digits for the summary numbers (the params themselves are already short). */
const r6 = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);

export function formatBestParamsYaml(result: TuneModelResult, createdAt = new Date()): string {
  const doc = {
    model: result.task,
    metric: result.metric,
    cv: {
      folds: result.folds,
      mean: r6(result.best.mean),
      std: r6(result.best.std),
      per_fold: result.best.folds.map(r6),
      ...(result.best.extra?.best_iteration !== undefined
        ? { mean_best_iteration: r6(result.best.extra.best_iteration) }
        : {}),
    },
    seed: result.seed,
    sampler: result.sampler,
    best_trial: result.best.id,
    trials_run: result.trials.length,
    stopped_by: result.stoppedBy,
    created_at: createdAt.toISOString(),
    data: result.data,
    params: result.bestParams,
  };
  return `# aml-miner tune: best parameters found; use with \`aml-miner train --params-file\`\n${stringify(doc)}`;
}

async function readYaml(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [`${what} ${path}`]);
    throw err;
  }
  try {
    return parse(text);
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_IO_FORMAT, [
      path,
      err instanceof Error ? err.message.split('\n')[0] : String(err),
    ]);
  }
}

const isMapping = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

export interface ParamsFile {
  /** Canonical LightGBM names -> values. */
  params: Record<string, unknown>;
  /** The model the file was tuned for, when it says. */
  model?: string;
}

/**
 * Reads parameters from YAML: a best_params.yaml (its `params` mapping) or a plain mapping of
 * LightGBM parameters. Names come back canonical so later merges cannot hold one parameter twice.
 */
export async function readParamsFile(path: string): Promise<ParamsFile> {
  const doc = await readYaml(path, 'params file');
  const body = isMapping(doc) && isMapping(doc.params) ? doc.params : doc;
  if (!isMapping(body))
    throw amlError(ERRORS.AML_ERR_IO_FORMAT, [
      path,
      'expected a mapping of LightGBM parameters (or a `params:` mapping)',
    ]);
  parseGbdtParams(body);
  const params = canonicalParams(body);
  const model = isMapping(doc) && typeof doc.model === 'string' ? doc.model : undefined;
  return { params, ...(model ? { model } : {}) };
}

/** Maps names to LightGBM's canonical ones; unknown names pass through for the schema to reject by name. */
export function canonicalParams(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) out[canonicalParamName(name) ?? name] = value;
  return out;
}

/** File parameters overridden by explicit ones (e.g. `--param`), both canonicalised first. */
export function mergeParams(
  base: Record<string, unknown>,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  return { ...canonicalParams(base), ...canonicalParams(overrides) };
}

/** Reads a search space YAML: a mapping of parameter name -> { type, ... } (see space.ts). */
export async function readSearchSpaceFile(path: string): Promise<SearchSpace> {
  const doc = await readYaml(path, 'search space file');
  return parseSearchSpace(doc);
}
