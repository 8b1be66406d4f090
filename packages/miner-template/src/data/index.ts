/** Public surface of the batch I/O layer. Re-exports only. */

export {
  type ArrowBatchInput,
  type DecodedArrowBatch,
  decodeArrowTables,
  decodeBatchArrow,
  encodeBatchArrow,
} from './arrow-batch.js';
export { BATCH_ARROW_CODECS, type BatchArrowCodec } from './arrow-compression.js';
export {
  ARROW_FORMAT_VERSION,
  ARROW_MAGIC,
  CONTAINER_TABLES,
  type ContainerTable,
  encodeBatchArrowField,
  encodeBatchContainer,
  splitArrowFrames,
  unwrapBatchArrowField,
  wrapBatchArrowField,
  writeArrowFrames,
} from './arrow-container.js';
export type { AddressLabels, Batch, FeatureTable } from './batch.js';
export {
  BATCH_TABLES,
  type BatchTable,
  batchDir,
  batchPath,
  META_FILE,
  readBatch,
  readBatchFolder,
  readBatchMeta,
  type WriteBatchOptions,
  writeBatchFolder,
} from './batch-folder.js';
export {
  type DownloadedBatch,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
  dateRange,
  downloadBatches,
} from './download.js';
export {
  canonicalColumnOrder,
  emptyFeatureTable,
  featureRowsToTable,
  featureTableToRows,
  withCanonicalColumnOrder,
} from './feature-table.js';
export type { FetchLike } from './http-fetch.js';
export {
  assertBatchIntegrity,
  checkBatchIntegrity,
  formatIntegrityIssue,
  formatJsonPath,
  type IntegrityIssue,
  type IntegrityIssueCode,
  type JsonPath,
  MAX_REPORTED_ISSUES,
} from './integrity.js';
export { decodeLabels, labelsPath, readLabels, writeLabels } from './labels.js';
export {
  batchFromRequest,
  parseBatchBody,
  parseBatchRequest,
  type SchemaIssueDetail,
  schemaError,
} from './parse-request.js';
export {
  decodeFeatures,
  decodeRows,
  encodeFeatures,
  encodeRows,
  FORMAT_EXTENSIONS,
  formatFromFileName,
} from './table-codec.js';
export { type ColumnKind, type ColumnSpec, ROW_TABLES, type RowTableName } from './table-columns.js';
