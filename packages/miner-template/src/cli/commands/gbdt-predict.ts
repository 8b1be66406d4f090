/**
 * `aml-miner gbdt predict` and `aml-miner gbdt export-onnx`.
 * Only the options live here: the implementation (and what it imports) is in
 * gbdt-predict-action.ts, loaded when the command runs, so that start-up and --help load nothing heavy.
 */
import type { Command } from 'commander';
import type { ExportCliOptions, PredictCliOptions } from './gbdt-predict-action.js';

export function registerGbdtPredictCommands(gbdt: Command): void {
  gbdt
    .command('predict')
    .description('score a CSV/Parquet table with a LightGBM text model or an exported ONNX model')
    .requiredOption('--model <path>', 'model.txt (LightGBM text) or model.onnx')
    .requiredOption('--data <path>', 'table to score: .csv with a header row, or .parquet')
    .requiredOption('--out <path>', 'predictions file, one value per line')
    .option('--raw', 'raw scores (log-odds for binary) instead of transformed ones')
    .option(
      '--contrib',
      "TreeSHAP contributions per feature plus the expected value (LightGBM's predict_contrib layout)",
    )
    .option('--label-column <name>', 'column to skip: the label')
    .option('--group-column <name>', 'column to skip: the query/group id')
    .option('--weight-column <name>', 'column to skip: the sample weight')
    .action(async (o: PredictCliOptions) => (await import('./gbdt-predict-action.js')).runPredict(o));

  gbdt
    .command('export-onnx')
    .description('convert a LightGBM text model to ONNX (ai.onnx.ml tree ensemble)')
    .requiredOption('--model <path>', 'LightGBM text model')
    .requiredOption('--out <path>', 'ONNX file to write')
    .option('--model-version <semver>', 'model version recorded in the ONNX metadata')
    .option(
      '--precision <float|double>',
      'float32 thresholds/weights (portable) or float64 input and attributes',
      'float',
    )
    .action(async (o: ExportCliOptions) => (await import('./gbdt-predict-action.js')).runExport(o));
}
