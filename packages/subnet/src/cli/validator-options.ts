/**
 * The validator's run options, one entry each: the flag, its help, how its text is parsed, and the
 * zod schema of its value with the default. The command line (validator/cli-program.ts) declares
 * its options from this table, parses what commander collected through `ValidatorOptionsSchema`
 * into a typed record, and docs/validator.md's option table is rendered from it (a test compares).
 * Flag names follow Bittensor's (`--netuid`, `--wallet.name`, `--subtensor.network`, ...).
 */
import {
  choiceFlag,
  dateFlag,
  type FlagParser,
  integerFlag,
  numberFlag,
  portFlag,
} from '@aml/miner-template/cli';
import { type Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { DEFAULT_WALLET_PATH } from '../wallet/hotkey.js';
import { networkFlag } from './flags.js';

interface OptionSpec<S extends z.ZodType = z.ZodType> {
  /** commander's declaration: `--name <value>`, or `--no-name` for a switch that is on by default. */
  flag: string;
  help: string;
  schema: S;
  parse?: FlagParser<unknown>;
}

const spec = <S extends z.ZodType>(
  flag: string,
  help: string,
  schema: S,
  parse?: FlagParser<unknown>,
): OptionSpec<S> => ({ flag, help, schema, parse });

const text = z.string().optional();

/** Withholding more than this would cost the canonical table more than traps gain. */
const MAX_WITHHELD_FLAG = 0.2;

/** Where a batch comes from: the validator loop, run-once and audit-traps read it the same way. */
export const BATCH_SOURCE_OPTIONS = {
  'batch.dir': spec('--batch.dir <dir>', 'read batches from this SOT folder root', text),
  'batch.url': spec('--batch.url <url>', 'download batches from this base URL', text),
  'batch.alerts': spec(
    '--batch.alerts <n>',
    'alerts per generated batch (when neither --batch.dir nor --batch.url)',
    z.number().default(2000),
    integerFlag('--batch.alerts', 1),
  ),
  'batch.network': spec('--batch.network <name>', 'SOT network of the batches', z.string().default('torus')),
  'batch.window_days': spec(
    '--batch.window_days <n>',
    'window of the batches',
    z.number().default(7),
    integerFlag('--batch.window_days', 1),
  ),
  'batch.date': spec('--batch.date <date>', 'fixed batch date (default: today, UTC)', text, dateFlag),
} as const;

/** Everything a cycle needs besides its batch: chain, wallet, store, scoring and querying. */
export const RUN_OPTIONS = {
  ...BATCH_SOURCE_OPTIONS,
  netuid: spec('--netuid <n>', 'subnet uid', z.number().default(42), integerFlag('--netuid', 0)),
  'wallet.name': spec('--wallet.name <name>', 'wallet name', z.string().default('default')),
  'wallet.hotkey': spec('--wallet.hotkey <name>', 'hotkey name', z.string().default('default')),
  'wallet.path': spec('--wallet.path <dir>', 'wallets directory', z.string().default(DEFAULT_WALLET_PATH)),
  'subtensor.network': spec(
    '--subtensor.network <network>',
    'finney | test | local | ws(s)://url | local-sim',
    z.string().default('local-sim'),
    networkFlag,
  ),
  'subtensor.local_chain_file': spec(
    '--subtensor.local_chain_file <file>',
    'local-sim chain state file (default: beside the store)',
    text,
  ),
  'localnet.seed': spec(
    '--localnet.seed <file>',
    'local-sim: LocalChain seed JSON used when the state file does not exist',
    text,
  ),
  'store.path': spec(
    '--store.path <file>',
    'SQLite store',
    z.string().default('validator-data/validator.sqlite'),
  ),
  'store.url': spec(
    '--store.url <url>',
    'PostgreSQL store (postgres://user@host:port/db) instead of SQLite',
    text,
  ),
  'labels.dir': spec('--labels.dir <dir>', 'labels root (default: --batch.dir)', text),
  'tier3.tau_days': spec(
    '--tier3.tau_days <n>',
    'days before labels settle a batch (τ)',
    z.number().default(7),
    numberFlag('--tier3.tau_days'),
  ),
  // at least one: tier 2 is scored on traps, and a cycle without them cannot rank miners
  traps: spec(
    '--traps <n>',
    'least traps per cycle (the validator sends max(n, 2 % of the batch))',
    z.number().default(50),
    integerFlag('--traps', 1),
  ),
  'weights.alpha': spec(
    '--weights.alpha <a>',
    'exponent of the excess over the reference in the weights',
    z.number().default(2),
    numberFlag('--weights.alpha'),
  ),
  'traps.inclusion': spec(
    '--traps.inclusion <share>',
    'share of real alerts and of the trap pool each cycle sends',
    z.number().default(0.9),
    numberFlag('--traps.inclusion', 'share'),
  ),
  'traps.withheld': spec(
    '--traps.withheld <share>',
    'most of a batch withheld from miners to become unseen bank traps once labelled (0 = none)',
    z.number().min(0).max(MAX_WITHHELD_FLAG).default(0.05),
    (text) => {
      const n = numberFlag('--traps.withheld')(text);
      if (n > MAX_WITHHELD_FLAG)
        throw new InvalidArgumentError(
          `--traps.withheld must be at most ${MAX_WITHHELD_FLAG}, got "${text}"`,
        );
      return n;
    },
  ),
  stealthAudit: spec(
    '--no-stealth-audit',
    'skip the per-cycle trap stealth audit',
    z.boolean().default(true),
  ),
  'neuron.timeout': spec(
    '--neuron.timeout <s>',
    'per-miner timeout in seconds',
    z.number().default(120),
    numberFlag('--neuron.timeout'),
  ),
  'neuron.concurrency': spec(
    '--neuron.concurrency <n>',
    'miners queried at once',
    z.number().default(16),
    integerFlag('--neuron.concurrency', 1),
  ),
  'neuron.batch_encoding': spec(
    '--neuron.batch_encoding <encoding>',
    'arrow (batch_arrow: compact, encoded once per cycle) | json (the JSON tables)',
    z.enum(['arrow', 'json']).default('arrow'),
    choiceFlag('--neuron.batch_encoding', ['arrow', 'json']),
  ),
  'neuron.external_ip': spec('--neuron.external_ip <ip>', 'our IP as miners see it', text),
  'logging.level': spec(
    '--logging.level <level>',
    'trace | debug | info | warn | error | fatal | silent',
    z.string().default('info'),
    choiceFlag('--logging.level', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
  ),
} as const;

/** The validator loop's own, beside the run options (its dashboard options are dashboard/command.ts's). */
export const LOOP_OPTIONS = {
  ...RUN_OPTIONS,
  'cycle.interval_s': spec(
    '--cycle.interval_s <s>',
    'seconds between cycle starts',
    z.number().default(3600),
    numberFlag('--cycle.interval_s'),
  ),
  'metrics.port': spec(
    '--metrics.port <port>',
    'serve Prometheus /metrics on this port (127.0.0.1)',
    z.number().optional(),
    portFlag('--metrics.port'),
  ),
} as const;

type Shape<T extends Record<string, OptionSpec>> = { [K in keyof T]: T[K]['schema'] };

function schemaOf<T extends Record<string, OptionSpec>>(options: T): z.ZodObject<Shape<T>> {
  const shape = Object.fromEntries(Object.entries(options).map(([key, o]) => [key, o.schema]));
  return z.object(shape) as unknown as z.ZodObject<Shape<T>>;
}

export const RunOptionsSchema = schemaOf(RUN_OPTIONS);
export const LoopOptionsSchema = schemaOf(LOOP_OPTIONS);
export type RunOptions = z.output<typeof RunOptionsSchema>;
export type LoopOptions = z.output<typeof LoopOptionsSchema>;

/** Every option's default (absent for those without one), as the schema gives it. */
export function optionDefaults(options: Record<string, OptionSpec>): Record<string, unknown> {
  return schemaOf(options).parse({});
}

/** Declares `options` on a commander command, defaults from their schemas. */
export function declareOptions(cmd: Command, options: Record<string, OptionSpec>): Command {
  const defaults = optionDefaults(options);
  for (const [key, o] of Object.entries(options)) {
    // a --no-x switch gets its `true` from commander itself; an option without a parser is text
    if (o.flag.startsWith('--no-')) cmd.option(o.flag, o.help);
    else if (o.parse) cmd.option(o.flag, o.help, o.parse, defaults[key]);
    else cmd.option(o.flag, o.help, defaults[key] as string | undefined);
  }
  return cmd;
}

/** The options table of docs/validator.md: flag, default, meaning. */
export function renderOptionsTable(): string {
  const defaults = optionDefaults(LOOP_OPTIONS);
  const rows = Object.entries(LOOP_OPTIONS).map(([key, o]) => {
    const value = defaults[key];
    // a --no-x switch is off unless given, whatever its value's default
    const shown = value === undefined || o.flag.startsWith('--no-') ? '–' : `\`${String(value)}\``;
    return `| \`${o.flag}\` | ${shown} | ${o.help.replaceAll('|', '\\|')} |`;
  });
  return ['| flag | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
