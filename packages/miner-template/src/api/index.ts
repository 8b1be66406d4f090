/** The miner's HTTP API: server factory, Arrow batch codec, service contract. Re-exports only. */
export {
  ARROW_CONTENT_TYPE,
  type ArrowBatchInput,
  type DecodedArrowBatch,
  decodeArrowTables,
  decodeBatchArrow,
  encodeBatchArrow,
} from './arrow-codec.js';
export { requestFromBody, type ScoringRequest } from './batch-body.js';
export { MULTIPART_CONTENT_TYPE } from './multipart-body.js';
export { assignRanks } from './ranking.js';
export {
  createServedScoringService,
  defaultWorkers,
  type ServedScoringService,
  type WorkerPoolOptions,
  WorkerScoringService,
} from './scoring-pool/index.js';
export { type ApiConfig, type CreateServerOptions, createServer } from './server.js';
export {
  type CloseResult,
  closeGracefully,
  installShutdownHandlers,
  type ShutdownHandlerOptions,
} from './shutdown.js';
export { API_VERSION } from './version.js';
