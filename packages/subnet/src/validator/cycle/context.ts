/**
 * What a validator cycle needs from the outside world, as interfaces: the store, the chain, the
 * dendrite and the batch source. Tests and the localnet pass in-process fakes or
 * LocalChain; production passes the real ones. The cycle itself holds no state between calls:
 * everything it needs to resume lives in the store.
 */
import type { Logger } from 'pino';
import type { ChainClient } from '../../chain/chain-client.js';
import type { AxonTarget, QueryOptions } from '../../dendrite/dendrite.js';
import type { AmlScoringRequest, AmlScoringSynapse } from '../../protocol/synapse.js';
import type { BatchSource } from '../batch-source.js';
import type { ValidatorStore } from '../store/types.js';

export interface QueryClient {
  query(
    axons: readonly AxonTarget[],
    request: AmlScoringRequest,
    options?: QueryOptions,
  ): Promise<AmlScoringSynapse[]>;
}

export interface CycleSettings {
  netuid: number;
  /** SOT network of the batches (e.g. "torus"). */
  network: string;
  windowDays: number;
  /** Least traps a cycle carries; the validator sends max(this, 2 % of the batch). */
  trapsPerCycle: number;
  /** Share of the real alerts (and of the day's trap pool) each cycle sends (default 0.9). */
  inclusion?: number;
  /**
   * Largest share of a batch withheld from miners so that, once labelled, its alerts become bank
   * traps no miner has seen (default 0.05; 0 withholds nothing).
   */
  withheldShare?: number;
  /** Exponent of the excess over the reference in the weights (α, default 2). */
  alpha?: number;
  /** Run the stealth audit every cycle (default true). */
  stealthAudit?: boolean;
  timeoutS: number;
  concurrency: number;
  /**
   * How the batch travels (default 'arrow': `batch_arrow`, encoded once per cycle, the same bytes
   * to every miner); 'json' sends the JSON tables, for miners that cannot read the compact form.
   */
  batchEncoding?: 'arrow' | 'json';
  /** Days after a batch's date before its labels are used (τ; docs/validator.md, "Tier 3"). */
  tauDays: number;
  /** Fixed batch date (YYYY-MM-DD); by default the UTC date of the cycle's start. */
  batchDate?: string;
  waitForFinality?: boolean;
  txTimeoutMs?: number;
  /** Mortal era of weight extrinsics in blocks (default 32, a power of two). */
  eraPeriod?: number;
  /** How often an open era is polled while a resumed cycle waits for it to close (default 2 000 ms). */
  eraPollMs?: number;
  /** Longest such wait before the cycle gives up and leaves the decision to the next (default 15 min). */
  eraWaitMs?: number;
}

/** A test hook called after each committed step; a crash test kills the process there. */
export type StepHook = (step: string, cycleId: number) => void | Promise<void>;

export interface CycleContext {
  store: ValidatorStore;
  chain: ChainClient;
  dendrite: QueryClient;
  batches: BatchSource;
  settings: CycleSettings;
  logger: Logger;
  now?: () => number;
  randomSeed?: () => number;
  afterStep?: StepHook;
}
