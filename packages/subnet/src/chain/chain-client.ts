/**
 * The contract the validator and the axon proxy program against. Two implementations:
 * SubtensorClient (a real node over @polkadot/api) and LocalChain (in-memory or file-backed, for
 * the localnet demo and tests). Both enforce the same rules and raise the same errors: refusals
 * predicted before sending are AML_ERR_CHAIN_REFUSED, on-chain failures AML_ERR_CHAIN_TX_FAILED,
 * each with the runtime's error name in `details.reason`.
 */
import type {
  AccountSigner,
  CommitRequest,
  ExtrinsicInclusion,
  Hyperparameters,
  MetagraphSnapshot,
  MortalEra,
  PendingCommit,
  ServeAxonRequest,
  TxOptions,
  TxResult,
  WeightsRequest,
} from './types.js';

export interface MetagraphOptions {
  /** Read the chain now instead of returning a cached snapshot. */
  readonly refresh?: boolean;
  /** A cached snapshot older than this is re-read (default 60 000 ms). */
  readonly maxAgeMs?: number;
}

export interface CommitResult {
  readonly pending: PendingCommit;
  readonly tx: TxResult;
}

export interface ChainClient {
  /** Human-readable endpoint (URL or `local-sim:<file>`). */
  readonly endpoint: string;
  /** SS58 address of the hotkey this client signs weights and axons with, if any. */
  readonly hotkey: string | undefined;
  connect(): Promise<void>;
  close(): Promise<void>;
  block(): Promise<number>;
  metagraph(netuid: number, options?: MetagraphOptions): Promise<MetagraphSnapshot>;
  hyperparameters(netuid: number): Promise<Hyperparameters>;
  /** Stored weights row of a uid: [dest uid, u16 value] pairs. */
  weightsOf(netuid: number, uid: number): Promise<Array<[number, number]>>;
  /** Normalises, pre-checks and sends `set_weights` (refused when commit-reveal is on). */
  setWeights(request: WeightsRequest): Promise<TxResult>;
  /** Normalises, pre-checks, persists the salt via `request.persist`, then sends `commit_weights`. */
  commitWeights(request: CommitRequest): Promise<CommitResult>;
  /** Sends `reveal_weights` for a persisted commit. */
  revealWeights(pending: PendingCommit, options?: TxOptions): Promise<TxResult>;
  serveAxon(request: ServeAxonRequest): Promise<TxResult>;
  /**
   * Searches the blocks an extrinsic signed with `era` could be in (birth up to the era's last
   * block or the best block, whichever comes first) for `txHash`. Undefined when it is in none.
   */
  findExtrinsic(txHash: string, era: MortalEra): Promise<ExtrinsicInclusion | undefined>;
  /** Registers `hotkey` on `netuid`, paying the burn from `coldkey` (tests and demos). */
  burnedRegister(
    netuid: number,
    hotkey: string,
    coldkey: AccountSigner,
    options?: TxOptions,
  ): Promise<TxResult>;
}
