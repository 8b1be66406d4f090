/**
 * What a validator cycle needs from the outside world, as interfaces: the store, the chain, the
 * dendrite, the batch source and the trap factory. Tests and the localnet pass in-process fakes or
 * LocalChain; production passes the real ones. The cycle itself holds no state between calls:
 * everything it needs to resume lives in the store.
 */
import type { Logger } from 'pino';
import type { ChainClient } from '../../chain/chain-client.js';
import type { AxonTarget, QueryOptions } from '../../dendrite/dendrite.js';
import type { AmlScoringRequest, AmlScoringSynapse } from '../../protocol/synapse.js';
import type { BatchSource } from '../batch-source.js';
import type { ValidatorStore } from '../store/types.js';
import type { TrapFactory } from '../traps.js';

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
  /** Traps mixed into each cycle's batch. */
  trapsPerCycle: number;
  timeoutS: number;
  concurrency: number;
  /** Days after a batch's date before its labels are used (τ of SPEC §3). */
  tauDays: number;
  /** Fixed batch date (YYYY-MM-DD); by default the UTC date of the cycle's start. */
  batchDate?: string;
  waitForFinality?: boolean;
  txTimeoutMs?: number;
}

/** A test hook called after each committed step; a crash test kills the process there. */
export type StepHook = (step: string, cycleId: number) => void | Promise<void>;

export interface CycleContext {
  store: ValidatorStore;
  chain: ChainClient;
  dendrite: QueryClient;
  batches: BatchSource;
  traps: TrapFactory;
  settings: CycleSettings;
  logger: Logger;
  now?: () => number;
  randomSeed?: () => number;
  afterStep?: StepHook;
}
