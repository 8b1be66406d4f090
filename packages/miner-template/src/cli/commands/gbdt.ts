/** `aml-miner gbdt ...`: LightGBM-style command line (train, predict, export-onnx). */
import type { Command } from 'commander';
import { registerGbdtPredictCommands } from './gbdt-predict.js';
import { registerGbdtTrainCommand } from './gbdt-train.js';

export function registerGbdtCommands(program: Command): void {
  const gbdt = program
    .command('gbdt')
    .description('train, predict with and export LightGBM-compatible GBDT models');
  registerGbdtTrainCommand(gbdt);
  registerGbdtPredictCommands(gbdt);
}
