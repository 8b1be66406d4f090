/**
 * Reads the server configuration from environment variables and CLI flags (flags win), validates
 * it with ServerConfigSchema and resolves paths against the working directory. An invalid value is
 * an AML_ERR_CONFIG_INVALID naming the variable or flag it came from.
 */
import { isAbsolute, resolve } from 'node:path';
import { amlError, ERRORS } from '../errors.js';
import { CONFIG_SOURCES, type ServerConfig, type ServerConfigField, ServerConfigSchema } from './schema.js';

export interface LoadConfigOptions {
  /** Environment to read (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Values given on the command line, by field name; undefined means "not given". */
  flags?: Partial<Record<ServerConfigField, string | number | boolean | undefined>>;
  /** Directory relative paths are resolved against (default process.cwd()). */
  cwd?: string;
}

const FIELDS = Object.keys(CONFIG_SOURCES) as ServerConfigField[];

export function loadConfig(options: LoadConfigOptions = {}): ServerConfig {
  const env = options.env ?? process.env;
  const flags = options.flags ?? {};
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const field of FIELDS) {
    const source = CONFIG_SOURCES[field];
    const flagValue = flags[field];
    if (flagValue !== undefined) {
      raw[field] = flagValue;
      origin[field] = source.flag ?? field;
      continue;
    }
    const envValue = env[source.env];
    // an empty variable means "unset", as in most shells' `VAR= cmd`
    if (envValue !== undefined && envValue.trim() !== '') {
      raw[field] = envValue;
      origin[field] = source.env;
    }
  }
  const parsed = ServerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      const name = origin[field] ?? CONFIG_SOURCES[field as ServerConfigField]?.env ?? field;
      return { variable: name, value: raw[field], message: issue.message };
    });
    const text = problems.map((p) => `${p.variable}=${JSON.stringify(p.value)}: ${p.message}`).join('; ');
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [text], problems);
  }
  return resolvePaths(parsed.data, options.cwd ?? process.cwd());
}

function resolvePaths(config: ServerConfig, cwd: string): ServerConfig {
  const abs = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(cwd, p));
  return {
    ...config,
    modelsDir: abs(config.modelsDir)!,
    alertScorerPath: abs(config.alertScorerPath),
    alertRankerPath: abs(config.alertRankerPath),
    clusterScorerPath: abs(config.clusterScorerPath),
  };
}

/** The defaults alone (no environment), with paths resolved against `cwd`. */
export function defaultConfig(cwd: string = process.cwd()): ServerConfig {
  return loadConfig({ env: {}, cwd });
}
