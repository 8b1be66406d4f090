/**
 * Steps both ChainClient implementations share, so LocalChain and SubtensorClient refuse the same
 * things for the same reasons: building a pending commit (salt, hash, estimated reveal window),
 * the reveal-window pre-check, serve_axon pre-checks and the "axon unchanged" shortcut.
 */
import { amlError, ERRORS } from '../errors.js';
import { commitHash, randomSalt, revealWindow } from './commit-reveal.js';
import { refused } from './errors.js';
import { encodeIp } from './ip.js';
import type { MetagraphSnapshot, PendingCommit, ServeAxonRequest } from './types.js';
import type { U16Weights } from './weights.js';

export function requireHotkey(hotkey: string | undefined, call: string): string {
  if (!hotkey)
    throw amlError(ERRORS.AML_ERR_CHAIN_SIGNER, [call, 'this client was created without a hotkey']);
  return hotkey;
}

export function buildPendingCommit(
  snapshot: MetagraphSnapshot,
  hotkey: string,
  weights: U16Weights,
  versionKey: number,
  commitBlock: number,
  salt: readonly number[] = randomSalt(),
): PendingCommit {
  if (salt.some((s) => !Number.isInteger(s) || s < 0 || s > 65535)) {
    throw amlError(ERRORS.AML_ERR_CHAIN_WEIGHTS_INVALID, ['salt entries must be u16']);
  }
  const hp = snapshot.hyperparameters;
  const window = revealWindow(snapshot.netuid, commitBlock, hp.tempo, hp.revealPeriodEpochs ?? 1);
  return {
    netuid: snapshot.netuid,
    hotkey,
    uids: [...weights.uids],
    values: [...weights.values],
    salt: [...salt],
    versionKey,
    commitHash: commitHash(hotkey, snapshot.netuid, weights.uids, weights.values, salt, versionKey),
    commitBlock,
    revealFrom: window.firstBlock,
    revealUntil: window.lastBlock,
  };
}

/** Same commit, re-dated to the block it was actually included in. */
export function redatePendingCommit(
  pending: PendingCommit,
  snapshot: MetagraphSnapshot,
  block: number,
): PendingCommit {
  if (block === pending.commitBlock) return pending;
  const hp = snapshot.hyperparameters;
  const window = revealWindow(pending.netuid, block, hp.tempo, hp.revealPeriodEpochs ?? 1);
  return { ...pending, commitBlock: block, revealFrom: window.firstBlock, revealUntil: window.lastBlock };
}

/** Refuses a reveal outside its window (only where the window is exactly known). */
export function precheckRevealWindow(pending: PendingCommit, block: number): void {
  if (block < pending.revealFrom) {
    throw refused(
      'reveal_weights',
      'RevealTooEarly',
      `block ${block}, reveal from block ${pending.revealFrom}`,
      {
        retryAtBlock: pending.revealFrom,
      },
    );
  }
  if (block > pending.revealUntil) {
    throw refused(
      'reveal_weights',
      'ExpiredWeightCommit',
      `block ${block}, window closed at ${pending.revealUntil}`,
    );
  }
}

export interface CheckedAxon {
  readonly ip: string;
  readonly ipValue: bigint;
  readonly ipType: 4 | 6;
  readonly port: number;
  readonly version: number;
  readonly protocol: number;
}

/** Validates a serve_axon request against the snapshot; returns null when the chain already has it. */
export function precheckServeAxon(
  snapshot: MetagraphSnapshot,
  hotkey: string,
  request: ServeAxonRequest,
): CheckedAxon | null {
  const call = 'serve_axon';
  const encoded = encodeIp(request.ip);
  const ipType = request.ipType ?? encoded.ipType;
  if (ipType !== encoded.ipType) {
    throw amlError(ERRORS.AML_ERR_CHAIN_AXON_INVALID, [request.ip, `is not an IPv${ipType} address`]);
  }
  if (!Number.isInteger(request.port) || request.port < 1 || request.port > 65535) {
    throw amlError(ERRORS.AML_ERR_CHAIN_AXON_INVALID, [`port ${request.port}`, 'expected 1..65535']);
  }
  const axon: CheckedAxon = {
    ip: request.ip,
    ipValue: encoded.ip,
    ipType,
    port: request.port,
    version: request.version,
    protocol: request.protocol ?? 4,
  };
  const me = snapshot.neurons.find((n) => n.hotkey === hotkey);
  if (!me) {
    throw refused(
      call,
      'HotKeyNotRegisteredInNetwork',
      `hotkey ${hotkey} has no uid on netuid ${snapshot.netuid}`,
    );
  }
  const current = me.axon;
  if (
    current &&
    current.port === axon.port &&
    current.ipType === axon.ipType &&
    current.version === axon.version &&
    current.protocol === axon.protocol &&
    encodeIp(current.ip).ip === axon.ipValue
  ) {
    return null;
  }
  const limit = snapshot.hyperparameters.servingRateLimit ?? 0;
  if (current && limit > 0 && current.block > 0 && snapshot.block - current.block < limit) {
    throw refused(
      call,
      'ServingRateLimitExceeded',
      `served at block ${current.block}, limit ${limit} blocks`,
      {
        retryAtBlock: current.block + limit,
      },
    );
  }
  return axon;
}
