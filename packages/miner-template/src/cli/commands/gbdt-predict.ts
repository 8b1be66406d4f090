/** `aml-miner gbdt predict` and `export-onnx`. Placeholder until the model I/O lands: registers nothing. */
import type { Command } from 'commander';

export function registerGbdtPredictCommands(_gbdt: Command): void {}
