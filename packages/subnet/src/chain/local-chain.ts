/**
 * LocalChain: a ChainClient over an in-memory or file-backed simulated subtensor, for the localnet
 * demo and for tests. Each instance signs as one hotkey; several instances (one per process, or
 * several in one process via `withHotkey`) share a store. Clients run the same pre-checks as
 * SubtensorClient, and the store applies the runtime's rules again (local-chain-state.ts), so a
 * call sent with `skipPrechecks` fails the way it would on chain. Blocks advance with wall time
 * (`blockTimeMs`) and/or manually (`advanceBlocks`). Every extrinsic is signed with a mortal era at
 * the current block and handed to `onSigned` before it is applied; one applied after its era has
 * passed is rejected like a real node rejects it, and included ones (failed dispatches too) are
 * logged by hash so `findExtrinsic` can find them.
 */
import { randomBytes } from 'node:crypto';
import { amlError, ERRORS, hasErrorCode } from '../errors.js';
import type { ChainClient, CommitResult, MetagraphOptions } from './chain-client.js';
import {
  buildPendingCommit,
  precheckRevealWindow,
  precheckServeAxon,
  redatePendingCommit,
  requireHotkey,
} from './client-common.js';
import { eraAllows, eraLastBlock, mortalEra } from './era.js';
import { chainErrorReason, dispatchFailed } from './errors.js';
import { createLocalChainState, type LocalChainSeed } from './local-chain-seed.js';
import {
  applyBurnedRegister,
  applyCommit,
  applyReveal,
  applyServeAxon,
  applySetWeights,
  blockAt,
  type LocalChainState,
  type LocalNeuronState,
  type LocalSubnetState,
  recordExtrinsic,
  snapshotOf,
  subnetOf,
} from './local-chain-state.js';
import { FileStore, type FileStoreOptions, type LocalChainStore, MemoryStore } from './local-chain-store.js';
import type {
  AccountSigner,
  CommitRequest,
  ExtrinsicInclusion,
  Hyperparameters,
  MetagraphSnapshot,
  MortalEra,
  PendingCommit,
  ServeAxonRequest,
  SignedExtrinsic,
  TxOptions,
  TxResult,
  WeightsRequest,
} from './types.js';
import { normaliseWeights, precheckWeights } from './weights.js';

export interface LocalChainOptions {
  /** The hotkey this client signs as (an SS58 address or anything with `.address`). */
  readonly hotkey?: string | AccountSigner;
  /** Wall clock in ms (tests inject one). */
  readonly now?: () => number;
}

/** Reads name a missing subnet plainly; extrinsics get the runtime's SubNetworkDoesNotExist instead. */
function existingSubnet(state: LocalChainState, netuid: number, endpoint: string): LocalSubnetState {
  const subnet = state.subnets[String(netuid)];
  if (!subnet) throw amlError(ERRORS.AML_ERR_CHAIN_SUBNET_UNKNOWN, [netuid, endpoint]);
  return subnet;
}

function blockHashOf(block: number): string {
  return `0x${block.toString(16).padStart(64, '0')}`;
}

/** What a node answers for a mortal extrinsic past its era: its birth block no longer matches. */
function outdated(call: string, era: MortalEra, block: number) {
  return amlError(
    ERRORS.AML_ERR_CHAIN_TX_INVALID,
    [
      call,
      `transaction outdated: its era (blocks ${era.birth}..${eraLastBlock(era)}) is over at block ${block}`,
    ],
    { reason: 'Stale' },
  );
}

function addressOf(key: string | AccountSigner | undefined): string | undefined {
  return typeof key === 'string' ? key : key?.address;
}

export class LocalChain implements ChainClient {
  readonly endpoint: string;
  readonly hotkey: string | undefined;
  readonly #store: LocalChainStore;
  readonly #now: () => number;
  readonly #cache = new Map<number, MetagraphSnapshot>();

  constructor(store: LocalChainStore, options: LocalChainOptions = {}) {
    this.#store = store;
    this.endpoint = `local-sim:${store.label}`;
    this.hotkey = addressOf(options.hotkey);
    this.#now = options.now ?? Date.now;
  }

  static inMemory(seed: LocalChainSeed, options: LocalChainOptions = {}): LocalChain {
    const now = options.now ?? Date.now;
    return new LocalChain(new MemoryStore(createLocalChainState(seed, now())), options);
  }

  /** Creates (or replaces) a shared state file from a seed. */
  static async createFile(
    path: string,
    seed: LocalChainSeed,
    options: LocalChainOptions & FileStoreOptions = {},
  ): Promise<LocalChain> {
    const now = options.now ?? Date.now;
    return new LocalChain(await FileStore.create(path, createLocalChainState(seed, now()), options), options);
  }

  /** Opens an existing state file written by `createFile` (another process may own it). */
  static openFile(path: string, options: LocalChainOptions & FileStoreOptions = {}): LocalChain {
    return new LocalChain(new FileStore(path, options), options);
  }

  /** Another client on the same chain, signing as a different hotkey. */
  withHotkey(hotkey: string | AccountSigner): LocalChain {
    return new LocalChain(this.#store, { hotkey, now: this.#now });
  }

  async connect(): Promise<void> {
    await this.#store.read();
  }

  async close(): Promise<void> {
    this.#cache.clear();
  }

  async block(): Promise<number> {
    return blockAt(await this.#store.read(), this.#now());
  }

  async metagraph(netuid: number, options: MetagraphOptions = {}): Promise<MetagraphSnapshot> {
    const cached = this.#cache.get(netuid);
    const maxAge = options.maxAgeMs ?? 60_000;
    if (cached && !options.refresh && this.#now() - cached.fetchedAt <= maxAge) return cached;
    const state = await this.#store.read();
    const snapshot = snapshotOf(
      existingSubnet(state, netuid, this.endpoint),
      blockAt(state, this.#now()),
      this.#now(),
    );
    this.#cache.set(netuid, snapshot);
    return snapshot;
  }

  async hyperparameters(netuid: number): Promise<Hyperparameters> {
    return (await this.metagraph(netuid, { refresh: true })).hyperparameters;
  }

  async weightsOf(netuid: number, uid: number): Promise<Array<[number, number]>> {
    const subnet = existingSubnet(await this.#store.read(), netuid, this.endpoint);
    return (subnet.weights[String(uid)] ?? []).map(([u, v]) => [u, v]);
  }

  async setWeights(request: WeightsRequest): Promise<TxResult> {
    const hotkey = requireHotkey(this.hotkey, 'set_weights');
    const snapshot = await this.metagraph(request.netuid, { refresh: true });
    const weights = normaliseWeights(request.uids, request.weights);
    const versionKey = request.versionKey ?? snapshot.hyperparameters.weightsVersionKey;
    if (!request.skipPrechecks) precheckWeights(snapshot, hotkey, weights, versionKey, 'set_weights');
    return this.#submit(
      'set_weights',
      request.netuid,
      (state, block) => {
        const subnet = subnetOf(state, request.netuid, 'set_weights');
        if (subnet.hyperparameters.commitRevealEnabled) {
          throw dispatchFailed(
            'set_weights',
            'CommitRevealEnabled',
            `netuid ${request.netuid} uses commit-reveal`,
          );
        }
        applySetWeights(subnet, block, hotkey, weights.uids, weights.values, versionKey);
      },
      request,
    );
  }

  async commitWeights(request: CommitRequest): Promise<CommitResult> {
    const hotkey = requireHotkey(this.hotkey, 'commit_weights');
    const snapshot = await this.metagraph(request.netuid, { refresh: true });
    const weights = normaliseWeights(request.uids, request.weights);
    const versionKey = request.versionKey ?? snapshot.hyperparameters.weightsVersionKey;
    if (!request.skipPrechecks) precheckWeights(snapshot, hotkey, weights, versionKey, 'commit_weights');
    const pending = buildPendingCommit(snapshot, hotkey, weights, versionKey, snapshot.block, request.salt);
    await request.persist(pending);
    const tx = await this.#submit(
      'commit_weights',
      request.netuid,
      (state, block) => {
        applyCommit(subnetOf(state, request.netuid, 'commit_weights'), block, hotkey, pending.commitHash);
      },
      request,
    );
    return { pending: redatePendingCommit(pending, snapshot, tx.blockNumber), tx };
  }

  async revealWeights(pending: PendingCommit, options: TxOptions = {}): Promise<TxResult> {
    const hotkey = requireHotkey(this.hotkey, 'reveal_weights');
    if (pending.hotkey !== hotkey) {
      throw amlError(ERRORS.AML_ERR_CHAIN_SIGNER, [
        'reveal_weights',
        `the commit belongs to ${pending.hotkey}`,
      ]);
    }
    if (!options.skipPrechecks) {
      const snapshot = await this.metagraph(pending.netuid, { refresh: true });
      const weights = { uids: [...pending.uids], values: [...pending.values] };
      precheckWeights(snapshot, hotkey, weights, pending.versionKey, 'reveal_weights');
      precheckRevealWindow(pending, snapshot.block);
    }
    return this.#submit(
      'reveal_weights',
      pending.netuid,
      (state, block) => {
        const subnet = subnetOf(state, pending.netuid, 'reveal_weights');
        applyReveal(subnet, block, hotkey, pending.uids, pending.values, pending.salt, pending.versionKey);
      },
      options,
    );
  }

  async serveAxon(request: ServeAxonRequest): Promise<TxResult> {
    const hotkey = requireHotkey(this.hotkey, 'serve_axon');
    const snapshot = await this.metagraph(request.netuid, { refresh: true });
    const axon = request.skipPrechecks ? null : precheckServeAxon(snapshot, hotkey, request);
    if (!request.skipPrechecks && axon === null) {
      return { ...this.#result('serve_axon', snapshot.block), skipped: true };
    }
    return this.#submit(
      'serve_axon',
      request.netuid,
      (state, block) => {
        const subnet = subnetOf(state, request.netuid, 'serve_axon');
        applyServeAxon(state, subnet, block, hotkey, {
          ip: request.ip,
          port: request.port,
          ipType: request.ipType ?? axon?.ipType ?? (request.ip.includes(':') ? 6 : 4),
          version: request.version,
          protocol: request.protocol ?? 4,
        });
      },
      request,
    );
  }

  async burnedRegister(
    netuid: number,
    hotkey: string,
    coldkey: AccountSigner,
    options: TxOptions = {},
  ): Promise<TxResult> {
    return this.#submit(
      'burned_register',
      netuid,
      (state, block) => {
        const subnet = subnetOf(state, netuid, 'burned_register');
        applyBurnedRegister(state, subnet, block, hotkey, coldkey.address);
      },
      options,
      coldkey.address,
    );
  }

  async findExtrinsic(txHash: string, era: MortalEra): Promise<ExtrinsicInclusion | undefined> {
    const state = await this.#store.read();
    const best = blockAt(state, this.#now());
    const found = (state.extrinsics ?? []).find(
      (x) => x.hash === txHash && eraAllows(era, x.block) && x.block <= best,
    );
    if (!found) return undefined;
    return {
      blockNumber: found.block,
      blockHash: blockHashOf(found.block),
      success: found.success,
      error: found.error,
    };
  }

  // ---- administration (what sudo / dev_setStorage would do on a dev chain) ----

  async advanceBlocks(count: number): Promise<number> {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`expected a block count >= 0, got ${count}`);
    return this.#store.update((state) => {
      state.blockOffset += count;
      return blockAt(state, this.#now());
    });
  }

  async setHyperparameters(
    netuid: number,
    values: Partial<Omit<Hyperparameters, 'subnetworkN'>>,
  ): Promise<void> {
    await this.#store.update((state) => {
      const subnet = subnetOf(state, netuid, 'sudo');
      Object.assign(subnet.hyperparameters, values);
    });
    this.#cache.delete(netuid);
  }

  async setNeuron(
    netuid: number,
    hotkey: string,
    values: Partial<Pick<LocalNeuronState, 'stake' | 'validatorPermit' | 'active' | 'lastUpdate'>>,
  ): Promise<void> {
    await this.#store.update((state) => {
      const neuron = subnetOf(state, netuid, 'sudo').neurons.find((n) => n.hotkey === hotkey);
      if (!neuron) throw amlError(ERRORS.AML_ERR_CHAIN_NOT_REGISTERED, [hotkey, netuid]);
      Object.assign(neuron, values);
    });
    this.#cache.delete(netuid);
  }

  async setBalance(coldkey: string, tao: number): Promise<void> {
    await this.#store.update((state) => {
      state.balances[coldkey] = tao;
    });
  }

  /**
   * Signs (era from the current block, a random hash as sr25519 signatures are random), reports
   * the signature, then applies the call in one state update. A dispatch failure is included too,
   * as on chain: logged in a second update, then thrown.
   */
  async #submit(
    call: string,
    netuid: number,
    apply: (state: LocalChainState, block: number) => void,
    options: TxOptions = {},
    signer = this.hotkey ?? '',
  ): Promise<TxResult> {
    const signedAt = blockAt(await this.#store.read(), this.#now());
    const signed: SignedExtrinsic = {
      call,
      txHash: `0x${randomBytes(32).toString('hex')}`,
      era: mortalEra(signedAt, options.eraPeriod),
    };
    await options.onSigned?.(signed);
    const log = { hash: signed.txHash, call, signer };
    let at = signedAt;
    try {
      at = await this.#store.update((state) => {
        const block = blockAt(state, this.#now());
        at = block;
        if (!eraAllows(signed.era, block)) throw outdated(call, signed.era, block);
        apply(state, block);
        recordExtrinsic(state, { ...log, block, success: true });
        return block;
      });
    } catch (err) {
      const reason = chainErrorReason(err);
      if (hasErrorCode(err, ERRORS.AML_ERR_CHAIN_TX_FAILED) && reason) {
        await this.#store.update((state) => {
          recordExtrinsic(state, { ...log, block: at, success: false, error: reason });
        });
      }
      throw err;
    } finally {
      this.#cache.delete(netuid);
    }
    return { ...this.#result(call, at), txHash: signed.txHash, era: signed.era };
  }

  #result(call: string, block: number): TxResult {
    return {
      call,
      blockHash: blockHashOf(block),
      blockNumber: block,
      txHash: `0x${randomBytes(32).toString('hex')}`,
      finalized: true,
    };
  }
}
