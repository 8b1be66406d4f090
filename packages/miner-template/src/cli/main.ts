#!/usr/bin/env -S node --expose-gc
/**
 * `aml-miner`: the template's command line. Each subcommand lives in its own module under
 * cli/commands/ and registers itself on the program; this file only assembles them.
 */
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';
import { addVersion, runCli } from './run.js';

const program = new Command('aml-miner')
  .description('AML miner template: generate batches, train and serve GBDT models, validate submissions')
  .showHelpAfterError();

addVersion(program, new URL('../../package.json', import.meta.url));
registerCommands(program);

await runCli(program, process.argv);
