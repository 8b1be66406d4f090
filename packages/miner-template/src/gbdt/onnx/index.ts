/** ONNX export of GbdtModels (ai.onnx.ml tree ensembles), written with protobufjs. */
export { exportOnnx, floatAtMost, ONNX_INPUT_NAME, type OnnxExportOptions } from './export-onnx.js';
