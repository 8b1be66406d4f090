/** The miner's HTTP API: server factory, content types, scoring pool. Re-exports only. */
export { requestFromBody, type ScoringRequest } from './batch-body.js';
export { ARROW_CONTENT_TYPE, MULTIPART_CONTENT_TYPE } from './content-types.js';
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
