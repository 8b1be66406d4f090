/**
 * Runs a commander program with the project's exit-code conventions, shared by all three bins
 * (aml-miner, aml-validator, aml-miner-proxy) so a mistake reads the same everywhere:
 *
 * - 0: success, `--help`, `--version`;
 * - 2: the command line, or something it names, is wrong: commander's usage errors and every
 *   AmlError with a 4xx status (a bad value, a missing file, a port in use);
 * - 1: it failed while running (an AmlError with a 5xx status, or anything unexpected).
 *
 * Every failure is one line on stderr, `error [CODE]: message`, never a stack trace (a bin run
 * by a supervisor or a new user gains nothing from one; AML_DEBUG=1 prints it for us).
 * Commander's own "Did you mean …?" suggestion is kept, folded into that line.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CommanderError } from 'commander';
import { type AmlError, amlError, ERRORS, isAmlError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * `--version` for a bin: `<name> <version of its package>`. `packageJsonUrl` is resolved by the
 * caller against its own module, so src/ (tsx) and dist/ both find the package's package.json.
 */
export function addVersion(program: Command, packageJsonUrl: URL): Command {
  const { version } = JSON.parse(readFileSync(packageJsonUrl, 'utf8')) as { version: string };
  return program.version(`${program.name()} ${version}`, '-V, --version', 'print the version and exit');
}

/** The exit code for an error, by the rule above. */
export function exitCodeFor(err: AmlError): number {
  return err.status < 500 ? EXIT_USAGE : EXIT_FAILURE;
}

function walk(cmd: Command, visit: (c: Command) => void): void {
  visit(cmd);
  for (const sub of cmd.commands) walk(sub, visit);
}

/** Commander's message (`error: …\n(Did you mean …?)`) as one line. */
function usageLine(err: CommanderError, failing: Command | undefined): string {
  const text = err.message
    .replace(/^error: /, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join(' ')
    .replace('(Did you mean', '(did you mean');
  const path: string[] = [];
  for (let c: Command | null = failing ?? null; c; c = c.parent) path.unshift(c.name());
  return path.length > 0 ? `${text}; see ${path.join(' ')} --help` : text;
}

/** Node's own errors that are ordinary mistakes, given a code and a readable line. */
function translateSystemError(err: unknown): AmlError | undefined {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.code === 'EADDRINUSE')
    return amlError(ERRORS.AML_ERR_CONFIG_PORT_IN_USE, [`${e.address ?? ''}:${e.port ?? ''}`]);
  if ((e?.code === 'ENOENT' || e?.code === 'ENOTDIR') && e.path)
    return amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [e.path]);
  return undefined;
}

function report(line: string, code: number): void {
  process.stderr.write(`${line}\n`);
  process.exitCode = code;
}

/** Reports `err` as one line and sets the exit code; for bins that catch failures themselves. */
export function reportCliError(err: unknown): void {
  const known = isAmlError(err) ? err : translateSystemError(err);
  if (process.env.AML_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  if (known) report(`error [${known.code}]: ${known.message}`, exitCodeFor(known));
  else report(`error: ${err instanceof Error ? err.message : String(err)}`, EXIT_FAILURE);
}

let epipeHandled = false;

export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  // `aml-validator export | head` closes the pipe early: that is the reader's choice, not a failure.
  if (!epipeHandled) {
    epipeHandled = true;
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(EXIT_OK);
      throw err;
    });
  }
  let failing: Command | undefined;
  walk(program, (cmd) => {
    // commander's help does not say which options are required; a user finds out by failing
    for (const option of cmd.options)
      if (option.mandatory && !option.description.endsWith('(required)')) option.description += ' (required)';
    cmd.exitOverride();
    cmd.showHelpAfterError(false);
    // commander prints its error before throwing; we print our own single line instead
    cmd.configureOutput({
      outputError: () => {
        failing = cmd;
      },
    });
  });
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) {
        process.exitCode = EXIT_OK;
        return;
      }
      let usage = err;
      // A program with a default action takes `aml-validator runonce` as an excess argument; ask
      // commander for its unknown-command error instead, which carries the "did you mean".
      if (err.code === 'commander.excessArguments' && failing && failing.commands.length > 0) {
        try {
          (failing as unknown as { unknownCommand(): void }).unknownCommand();
        } catch (again) {
          if (again instanceof CommanderError) usage = again;
        }
      }
      const line = amlError(ERRORS.AML_ERR_CLI_USAGE, [usageLine(usage, failing)]);
      report(`error [${line.code}]: ${line.message}`, EXIT_USAGE);
      return;
    }
    reportCliError(err);
  }
}
