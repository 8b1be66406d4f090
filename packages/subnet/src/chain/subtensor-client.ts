/**
 * ChainClient for a real subtensor node over @polkadot/api: metagraph from storage (one block,
 * adapted to the runtime's metadata), weights with every pre-check done before a fee is paid,
 * commit-reveal v2 with the salt persisted before the commit is sent, serve_axon and
 * burned_register. Every extrinsic goes through submitExtrinsic (timeout, inclusion or finality,
 * decoded errors). The timelocked (drand) commit is out of scope and named as such.
 */

import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { amlError, ERRORS } from '../errors.js';
import type { ChainClient, CommitResult, MetagraphOptions } from './chain-client.js';
import {
  buildPendingCommit,
  precheckRevealWindow,
  precheckServeAxon,
  redatePendingCommit,
  requireHotkey,
} from './client-common.js';
import { type ChainConnection, type ConnectOptions, connectApi } from './connect.js';
import { submitExtrinsic } from './extrinsic.js';
import { findExtrinsicInBlocks } from './inclusion.js';
import { encodeIp } from './ip.js';
import {
  hasStatefulEpochs,
  readHyperparameters,
  readMetagraph,
  type SubtensorQuery,
} from './metagraph-reader.js';
import { resolveNetwork } from './network.js';
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
import { normaliseWeights, precheckWeights } from './weights.js';

export interface SubtensorClientOptions extends Omit<ConnectOptions, 'url'> {
  /** finney | test | local | ws(s)://host:port */
  readonly network: string;
  /** The hotkey that signs set_weights / commit / reveal / serve_axon. */
  readonly hotkey?: KeyringPair;
  /** Default per-extrinsic timeout (60 000 ms). */
  readonly txTimeoutMs?: number;
  readonly waitForFinality?: boolean;
  /** Mortal era of every extrinsic, in blocks (default 32). */
  readonly eraPeriod?: number;
  /** Read coldkeys from Owner in metagraph snapshots (default true). */
  readonly coldkeys?: boolean;
}

function asPair(signer: AccountSigner | undefined, call: string): KeyringPair {
  if (!signer || typeof (signer as Partial<KeyringPair>).sign !== 'function') {
    throw amlError(ERRORS.AML_ERR_CHAIN_SIGNER, [call, 'expected a @polkadot/keyring pair (sr25519)']);
  }
  return signer as KeyringPair;
}

export class SubtensorClient implements ChainClient {
  readonly endpoint: string;
  readonly hotkey: string | undefined;
  readonly #options: SubtensorClientOptions;
  readonly #cache = new Map<number, MetagraphSnapshot>();
  #connection: ChainConnection | undefined;

  /** `connection` adopts an already open connection (shared between clients, or a test double). */
  constructor(options: SubtensorClientOptions, connection?: ChainConnection) {
    const resolved = resolveNetwork(options.network);
    if (resolved.kind !== 'websocket') {
      throw amlError(ERRORS.AML_ERR_CHAIN_NETWORK_UNKNOWN, [
        `${options.network} (use LocalChain for local-sim)`,
      ]);
    }
    this.endpoint = resolved.url;
    this.hotkey = options.hotkey?.address;
    this.#options = options;
    this.#connection = connection;
  }

  get api(): ApiPromise {
    if (!this.#connection) throw amlError(ERRORS.AML_ERR_CHAIN_NOT_CONNECTED, ['call connect() first']);
    return this.#connection.api;
  }

  /** Raw JSON-RPC on the open connection, for dev methods (chopsticks' dev_setStorage, dev_newBlock). */
  async rawRpc(method: string, params: unknown[]): Promise<unknown> {
    if (!this.#connection) throw amlError(ERRORS.AML_ERR_CHAIN_NOT_CONNECTED, ['call connect() first']);
    return this.#connection.send(method, params);
  }

  async connect(): Promise<void> {
    if (this.#connection) return;
    this.#connection = await connectApi({ ...this.#options, url: this.endpoint });
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    this.#cache.clear();
    await connection?.close();
  }

  #query(api: { query: Record<string, unknown> } = this.api): SubtensorQuery {
    const module = api.query.subtensorModule as SubtensorQuery | undefined;
    if (!module)
      throw amlError(ERRORS.AML_ERR_CHAIN_STORAGE_MISSING, ['*', 'this is not a subtensor runtime']);
    return module;
  }

  async block(): Promise<number> {
    return (await this.api.rpc.chain.getHeader()).number.toNumber();
  }

  async metagraph(netuid: number, options: MetagraphOptions = {}): Promise<MetagraphSnapshot> {
    const cached = this.#cache.get(netuid);
    if (cached && !options.refresh && Date.now() - cached.fetchedAt <= (options.maxAgeMs ?? 60_000))
      return cached;
    const header = await this.api.rpc.chain.getHeader();
    const at = await this.api.at(header.hash);
    const snapshot = await readMetagraph(
      this.#query(at as unknown as { query: Record<string, unknown> }),
      netuid,
      header.number.toNumber(),
      Date.now(),
      { coldkeys: this.#options.coldkeys },
    );
    this.#cache.set(netuid, snapshot);
    return snapshot;
  }

  async hyperparameters(netuid: number): Promise<Hyperparameters> {
    return readHyperparameters(this.#query(), netuid);
  }

  async weightsOf(netuid: number, uid: number): Promise<Array<[number, number]>> {
    const entry = this.#query().weights;
    if (!entry) throw amlError(ERRORS.AML_ERR_CHAIN_STORAGE_MISSING, ['Weights', 'weightsOf']);
    const rows = (await entry(netuid, uid)).toJSON();
    return Array.isArray(rows)
      ? rows.map((r) => [Number((r as unknown[])[0]), Number((r as unknown[])[1])])
      : [];
  }

  #tx(name: string, call: string) {
    const tx = (this.api.tx.subtensorModule as Record<string, unknown> | undefined)?.[name];
    if (typeof tx !== 'function') {
      if (name === 'commitWeights') {
        throw amlError(ERRORS.AML_ERR_CHAIN_TIMELOCK_UNSUPPORTED, [
          'this runtime has no commit_weights; its commit_timelocked_weights (drand) is not implemented',
        ]);
      }
      throw amlError(ERRORS.AML_ERR_CHAIN_STORAGE_MISSING, [`${name} (call)`, call]);
    }
    return tx as (...args: unknown[]) => Parameters<typeof submitExtrinsic>[2];
  }

  #submitOptions(options: TxOptions) {
    return {
      timeoutMs: options.timeoutMs ?? this.#options.txTimeoutMs,
      waitForFinality: options.waitForFinality ?? this.#options.waitForFinality,
      eraPeriod: options.eraPeriod ?? this.#options.eraPeriod,
      onSigned: options.onSigned,
    };
  }

  async findExtrinsic(txHash: string, era: MortalEra): Promise<ExtrinsicInclusion | undefined> {
    return findExtrinsicInBlocks(this.api, txHash, era);
  }

  async setWeights(request: WeightsRequest): Promise<TxResult> {
    const pair = asPair(this.#options.hotkey, 'set_weights');
    const snapshot = await this.metagraph(request.netuid, { refresh: true });
    const weights = normaliseWeights(request.uids, request.weights);
    const versionKey = request.versionKey ?? snapshot.hyperparameters.weightsVersionKey;
    if (!request.skipPrechecks) precheckWeights(snapshot, pair.address, weights, versionKey, 'set_weights');
    const tx = this.#tx('setWeights', 'set_weights')(
      request.netuid,
      weights.uids,
      weights.values,
      versionKey,
    );
    const result = await submitExtrinsic(this.api, 'set_weights', tx, pair, this.#submitOptions(request));
    this.#cache.delete(request.netuid);
    return result;
  }

  async commitWeights(request: CommitRequest): Promise<CommitResult> {
    const pair = asPair(this.#options.hotkey, 'commit_weights');
    const build = this.#tx('commitWeights', 'commit_weights');
    const snapshot = await this.metagraph(request.netuid, { refresh: true });
    const weights = normaliseWeights(request.uids, request.weights);
    const versionKey = request.versionKey ?? snapshot.hyperparameters.weightsVersionKey;
    if (!request.skipPrechecks)
      precheckWeights(snapshot, pair.address, weights, versionKey, 'commit_weights');
    // The commit lands in the next block at the earliest; re-dated below once included.
    const pending = buildPendingCommit(
      snapshot,
      pair.address,
      weights,
      versionKey,
      snapshot.block + 1,
      request.salt,
    );
    await request.persist(pending);
    const tx = build(request.netuid, pending.commitHash);
    const result = await submitExtrinsic(this.api, 'commit_weights', tx, pair, this.#submitOptions(request));
    this.#cache.delete(request.netuid);
    return {
      pending: redatePendingCommit(pending, snapshot, result.blockNumber || pending.commitBlock),
      tx: result,
    };
  }

  async revealWeights(pending: PendingCommit, options: TxOptions = {}): Promise<TxResult> {
    const pair = asPair(this.#options.hotkey, 'reveal_weights');
    if (pending.hotkey !== requireHotkey(pair.address, 'reveal_weights')) {
      throw amlError(ERRORS.AML_ERR_CHAIN_SIGNER, [
        'reveal_weights',
        `the commit belongs to ${pending.hotkey}`,
      ]);
    }
    if (!options.skipPrechecks) {
      const snapshot = await this.metagraph(pending.netuid, { refresh: true });
      const weights = { uids: [...pending.uids], values: [...pending.values] };
      precheckWeights(snapshot, pair.address, weights, pending.versionKey, 'reveal_weights');
      // With the stateful SubnetEpochIndex the block window is only an estimate: let the runtime judge.
      if (!hasStatefulEpochs(this.#query())) precheckRevealWindow(pending, snapshot.block + 1);
    }
    const tx = this.#tx('revealWeights', 'reveal_weights')(
      pending.netuid,
      pending.uids,
      pending.values,
      pending.salt,
      pending.versionKey,
    );
    const result = await submitExtrinsic(this.api, 'reveal_weights', tx, pair, this.#submitOptions(options));
    this.#cache.delete(pending.netuid);
    return result;
  }

  async serveAxon(request: ServeAxonRequest): Promise<TxResult> {
    const pair = asPair(this.#options.hotkey, 'serve_axon');
    const snapshot = await this.metagraph(request.netuid, { refresh: true });
    if (!request.skipPrechecks && precheckServeAxon(snapshot, pair.address, request) === null) {
      return {
        call: 'serve_axon',
        blockHash: '',
        blockNumber: snapshot.block,
        txHash: '',
        finalized: false,
        skipped: true,
      };
    }
    const encoded = encodeIp(request.ip);
    const tx = this.#tx('serveAxon', 'serve_axon')(
      request.netuid,
      request.version,
      encoded.ip,
      request.port,
      request.ipType ?? encoded.ipType,
      request.protocol ?? 4,
      0,
      0,
    );
    const result = await submitExtrinsic(this.api, 'serve_axon', tx, pair, this.#submitOptions(request));
    this.#cache.delete(request.netuid);
    return result;
  }

  async burnedRegister(
    netuid: number,
    hotkey: string,
    coldkey: AccountSigner,
    options: TxOptions = {},
  ): Promise<TxResult> {
    const pair = asPair(coldkey, 'burned_register');
    const tx = this.#tx('burnedRegister', 'burned_register')(netuid, hotkey);
    const result = await submitExtrinsic(this.api, 'burned_register', tx, pair, this.#submitOptions(options));
    this.#cache.delete(netuid);
    return result;
  }
}
