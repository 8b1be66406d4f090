/**
 * The miner server's configuration: one zod schema is the single source for the field types,
 * defaults, the environment variable and CLI flag each field is read from, and the docs
 * (.env.example and docs/api.md list the same table). Loading lives in load.ts.
 */
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

/** A boolean given as a word ("true", "0", ...) as environment variables carry them. */
const booleanWord = z.union([
  z.boolean(),
  z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .refine((s) => TRUE_WORDS.has(s) || FALSE_WORDS.has(s), 'expected true/false (or 1/0, yes/no, on/off)')
    .transform((s) => TRUE_WORDS.has(s)),
]);

/** A number given as a number or as its decimal text; "" and "abc" are rejected, not read as 0. */
const numeric = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v)) return Number(v);
  ctx.addIssue({ code: 'custom', message: 'expected a number' });
  return z.NEVER;
});

const optionalPath = z.string().trim().min(1, 'expected a non-empty path').optional();

export const ServerConfigSchema = z.object({
  host: z.string().trim().min(1, 'expected a host name or address').default('127.0.0.1'),
  port: numeric.pipe(z.number().int('expected an integer').min(0).max(65535)).default(8000),
  modelsDir: z.string().trim().min(1, 'expected a non-empty path').default('trained_models'),
  alertScorerPath: optionalPath,
  alertRankerPath: optionalPath,
  clusterScorerPath: optionalPath,
  bodyLimitMb: numeric.pipe(z.number().positive('expected a positive number of MB').max(4096)).default(200),
  // one thread keeps scores bit-identical from run to run (onnxruntime's own choice is every core)
  threads: numeric.pipe(z.number().int('expected an integer').min(1).max(1024)).default(1),
  workers: numeric.pipe(z.number().int('expected an integer').min(0).max(64)).optional(),
  logLevel: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(LOG_LEVELS))
    .default('info'),
  shutdownTimeoutMs: numeric.pipe(z.number().int().min(0).max(600_000)).default(10_000),
  validateResponses: booleanWord.default(false),
});

/** The validated configuration. `modelsDir` and the model paths are absolute after loadConfig. */
export type ServerConfig = z.output<typeof ServerConfigSchema>;
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;
export type ServerConfigField = keyof ServerConfig;

/** Where each field is read from, and what it means (the text of .env.example and the docs). */
export const CONFIG_SOURCES: Record<ServerConfigField, { env: string; flag?: string; help: string }> = {
  host: {
    env: 'AML_HOST',
    flag: '--host',
    help: 'address to listen on (default 127.0.0.1: the API has no authentication; 0.0.0.0 exposes it on every interface)',
  },
  port: { env: 'AML_PORT', flag: '--port', help: 'TCP port (default 8000; 0 picks a free port)' },
  modelsDir: {
    env: 'AML_MODELS_DIR',
    flag: '--models-dir',
    help: 'directory holding the model files and model_metadata.json (default trained_models, relative to the working directory)',
  },
  alertScorerPath: {
    env: 'AML_ALERT_SCORER_PATH',
    help: 'alert scorer model file, overrides the one found in the models dir',
  },
  alertRankerPath: {
    env: 'AML_ALERT_RANKER_PATH',
    help: 'alert ranker model file, overrides the one found in the models dir',
  },
  clusterScorerPath: {
    env: 'AML_CLUSTER_SCORER_PATH',
    help: 'cluster scorer model file, overrides the one found in the models dir',
  },
  bodyLimitMb: {
    env: 'AML_BODY_LIMIT_MB',
    flag: '--body-limit-mb',
    help: 'largest accepted request body in MB (default 200)',
  },
  threads: {
    env: 'AML_THREADS',
    flag: '--threads',
    help: 'onnxruntime intra-op threads per model (default 1: scores bit-identical from run to run)',
  },
  workers: {
    env: 'AML_WORKERS',
    flag: '--workers',
    help: 'scoring worker threads, each with its own copy of the models (default: the number of cores, at most 4; 0 scores on the main thread)',
  },
  logLevel: {
    env: 'AML_LOG_LEVEL',
    flag: '--log-level',
    help: `log level: ${LOG_LEVELS.join(', ')} (default info)`,
  },
  shutdownTimeoutMs: {
    env: 'AML_SHUTDOWN_TIMEOUT_MS',
    help: 'on SIGTERM/SIGINT, how long in-flight requests may take to finish (default 10000)',
  },
  validateResponses: {
    env: 'AML_VALIDATE_RESPONSES',
    help: 'validate every response against its zod schema (slower; default false)',
  },
};
