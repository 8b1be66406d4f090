/** The list of aml-miner subcommands. Add one line per command module. */
import type { Command } from 'commander';
import { registerGbdtCommands } from './gbdt.js';

type Register = (program: Command) => void;

const registrations: Register[] = [registerGbdtCommands];

export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}
