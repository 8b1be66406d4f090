/**
 * Runs a commander program with the project's exit-code conventions: 0 success, 1 a failure the
 * user can act on (printed as one readable line), 2 bad usage. Never a stack trace for an AmlError.
 */
import type { Command } from 'commander';
import { CommanderError } from 'commander';
import { isAmlError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  program.exitOverride();
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; everything else commander raises is a usage error
      process.exitCode = err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      return;
    }
    if (isAmlError(err)) {
      process.stderr.write(`error [${err.code}]: ${err.message}\n`);
      process.exitCode = EXIT_FAILURE;
      return;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT_FAILURE;
  }
}
