/** LightGBM text model format: the reader and writer (the engine's file boundary). */
export { readModelText } from './model-reader.js';
export { writeModelText } from './model-writer.js';
