/** Public surface of the chain client (re-exports only). */
export type { ChainClient, CommitResult, MetagraphOptions } from './chain-client.js';
export {
  commitHash,
  commitPreimage,
  epochIndex,
  type RevealWindow,
  randomSalt,
  revealWindow,
} from './commit-reveal.js';
export { type ChainConnection, type ConnectionEvent, type ConnectOptions, connectApi } from './connect.js';
export {
  type DecodedError,
  decodeDispatchError,
  decodePoolError,
  SUBTENSOR_CUSTOM_TX_ERRORS,
} from './dispatch-error.js';
export { chainErrorReason, isChainRefusal, isDispatchFailure } from './errors.js';
export { DEFAULT_TX_TIMEOUT_MS, submitExtrinsic } from './extrinsic.js';
export { decodeIp, type EncodedIp, encodeIp } from './ip.js';
export { LocalChain, type LocalChainOptions } from './local-chain.js';
export { createLocalChainState, type LocalChainSeed, localChainSeedSchema } from './local-chain-seed.js';
export type { LocalChainState } from './local-chain-state.js';
export { FileStore, type LocalChainStore, MemoryStore } from './local-chain-store.js';
export {
  type CallerStanding,
  MetagraphSync,
  type MetagraphSyncOptions,
  metagraphLookup,
} from './metagraph-lookup.js';
export { readHyperparameters, readMetagraph, type SubtensorQuery } from './metagraph-reader.js';
export { NETWORK_ENDPOINTS, type ResolvedNetwork, resolveNetwork } from './network.js';
export { type OpenChainClientOptions, openChainClient } from './open-chain-client.js';
export { SubtensorClient, type SubtensorClientOptions } from './subtensor-client.js';
export type {
  AccountSigner,
  AxonEndpoint,
  CommitRequest,
  Hyperparameters,
  MetagraphNeuron,
  MetagraphSnapshot,
  PendingCommit,
  ServeAxonRequest,
  TxOptions,
  TxResult,
  WeightsRequest,
} from './types.js';
export { normaliseWeights, precheckWeights, roundHalfEven, U16_MAX, type U16Weights } from './weights.js';
