/** `aml-miner gbdt train`. Placeholder until the trainer lands: registers nothing. */
import type { Command } from 'commander';

export function registerGbdtTrainCommand(_gbdt: Command): void {}
