/**
 * Plain data shared by every chain client: the metagraph snapshot, hyperparameters, weight
 * requests, pending commits and extrinsic results. No behaviour lives here; values are JSON-safe
 * (numbers and strings, no bigint) so snapshots and pending commits can be persisted as they are.
 */

/** A served axon decoded from `Axons(netuid, hotkey)`. */
export interface AxonEndpoint {
  /** Dotted IPv4 or RFC 5952 IPv6 text. */
  readonly ip: string;
  readonly port: number;
  readonly ipType: 4 | 6;
  readonly version: number;
  readonly protocol: number;
  /** Block at which it was last served. */
  readonly block: number;
}

export interface MetagraphNeuron {
  readonly uid: number;
  readonly hotkey: string;
  /** From the `Owner` map; undefined when not read. */
  readonly coldkey?: string;
  /** Stake on this subnet in TAO (alpha) units: raw / 1e9. */
  readonly stake: number;
  readonly validatorPermit: boolean;
  readonly active: boolean;
  readonly lastUpdate: number;
  /** Block the hotkey registered at (`BlockAtRegistration`), when the runtime has it. */
  readonly registeredAt?: number;
  /** Null when the neuron never served an axon (or serves ip 0 / port 0). */
  readonly axon: AxonEndpoint | null;
}

export interface Hyperparameters {
  readonly tempo: number;
  readonly weightsSetRateLimit: number;
  readonly minAllowedWeights: number;
  /** u16 share limit for the largest weight after normalising to sum 1 (65535 = no limit). */
  readonly maxWeightsLimit: number;
  readonly weightsVersionKey: number;
  readonly commitRevealEnabled: boolean;
  readonly subnetworkN: number;
  /** `RevealPeriodEpochs`, when the runtime has it (commit-reveal v2). */
  readonly revealPeriodEpochs?: number;
  readonly servingRateLimit?: number;
  readonly maxAllowedUids?: number;
}

/** One consistent read of a subnet at one block. */
export interface MetagraphSnapshot {
  readonly netuid: number;
  readonly block: number;
  readonly neurons: readonly MetagraphNeuron[];
  readonly hyperparameters: Hyperparameters;
  /** Wall-clock ms when it was read (for cache ageing only). */
  readonly fetchedAt: number;
}

/** A mortal era: the extrinsic may be included only in blocks birth .. birth + period − 1. */
export interface MortalEra {
  readonly birth: number;
  readonly period: number;
}

/** An extrinsic signed and not yet sent: what a caller records to find it on chain later. */
export interface SignedExtrinsic {
  readonly call: string;
  /** 0x-prefixed hash of the signed extrinsic (what a block's extrinsic list is searched for). */
  readonly txHash: string;
  readonly era: MortalEra;
}

/** Where a signed extrinsic was found on chain, and whether its dispatch succeeded. */
export interface ExtrinsicInclusion {
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly success: boolean;
  /** The runtime's error name when the dispatch failed. */
  readonly error?: string;
  /**
   * Set when the block holds the extrinsic but its events could not be read (a node that pruned
   * that block's state): it landed, whether its dispatch succeeded is unknown, `success` is true.
   */
  readonly outcomeUnknown?: string;
}

export interface TxOptions {
  /** Mortal era length in blocks (rounded up to a power of two, 4..65536; default 32). */
  readonly eraPeriod?: number;
  /**
   * Called after signing and before sending, with the extrinsic's hash and era; it must persist
   * them (a crash after it returns leaves a record to resolve from the chain). A throw aborts the
   * send: nothing reaches the chain.
   */
  readonly onSigned?: (signed: SignedExtrinsic) => void | Promise<void>;
  /** Wait for finality instead of inclusion. */
  readonly waitForFinality?: boolean;
  /** Give up (and unsubscribe) after this many ms; default 60 000. */
  readonly timeoutMs?: number;
  /** Send even when a pre-check predicts a refusal (for tests of on-chain decoding). */
  readonly skipPrechecks?: boolean;
}

export interface TxResult {
  readonly call: string;
  readonly blockHash: string;
  readonly blockNumber: number;
  readonly txHash: string;
  readonly finalized: boolean;
  /** The era it was signed with (absent when nothing was sent). */
  readonly era?: MortalEra;
  /** True when nothing was sent because the chain already had this state (serve_axon). */
  readonly skipped?: boolean;
}

export interface WeightsRequest extends TxOptions {
  readonly netuid: number;
  readonly uids: readonly number[];
  /** Non-negative finite scores; normalised to u16 (largest = 65535) before sending. */
  readonly weights: readonly number[];
  /** Defaults to the subnet's `WeightsVersionKey`. */
  readonly versionKey?: number;
}

/** Everything needed to reveal a commit later; persist it before the commit is sent. */
export interface PendingCommit {
  readonly netuid: number;
  readonly hotkey: string;
  readonly uids: readonly number[];
  readonly values: readonly number[];
  readonly salt: readonly number[];
  readonly versionKey: number;
  /** 0x-prefixed blake2-256 commit hash. */
  readonly commitHash: string;
  /** Block the commit was (or is expected to be) included in. */
  readonly commitBlock: number;
  /** Estimated reveal window [first, last] block, from the block-based epoch formula. */
  readonly revealFrom: number;
  readonly revealUntil: number;
}

export interface CommitRequest extends WeightsRequest {
  /** Called with the pending commit (salt included) before the commit is sent; must persist it. */
  readonly persist: (pending: PendingCommit) => void | Promise<void>;
  /** Override the random salt (tests). */
  readonly salt?: readonly number[];
}

export interface ServeAxonRequest extends TxOptions {
  readonly netuid: number;
  readonly version: number;
  readonly ip: string;
  readonly port: number;
  readonly ipType?: 4 | 6;
  /** 4 (TCP) by Bittensor convention. */
  readonly protocol?: number;
}

/** Anything with an SS58 address; the real chain needs a full @polkadot/keyring pair. */
export interface AccountSigner {
  readonly address: string;
}
