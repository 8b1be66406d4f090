/** The miner's HTTP API: server factory, Arrow batch codec, service contract. Re-exports only. */
export {
  ARROW_CONTENT_TYPE,
  ARROW_FORMAT_VERSION,
  ARROW_MAGIC,
  type ArrowBatchInput,
  type DecodedArrowBatch,
  decodeBatchArrow,
  encodeBatchArrow,
} from './arrow-codec.js';
export { assignRanks } from './ranking.js';
export type { ModelFlags, ModelVersions, ScoringService } from './scoring-service.js';
export { type ApiConfig, type CreateServerOptions, createServer } from './server.js';
export {
  type CloseResult,
  closeGracefully,
  installShutdownHandlers,
  type ShutdownHandlerOptions,
} from './shutdown.js';
export { API_VERSION } from './version.js';
