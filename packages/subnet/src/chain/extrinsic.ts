/**
 * Sends one signed extrinsic and waits for inclusion (or finality) under a hard timeout, always
 * unsubscribing, so a caller is never left hanging (the Python SDK's set_weights blocking forever
 * is the failure this exists to avoid). Dispatch errors are named through the metadata; pool
 * rejections through subtensor's custom transaction codes.
 */

import { amlError } from '@aml/miner-template';
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import {
  type DispatchErrorLike,
  decodeDispatchError,
  decodePoolError,
  type ErrorRegistry,
} from './dispatch-error.js';
import { CHAIN_ERRORS, dispatchFailed } from './errors.js';
import type { TxResult } from './types.js';

export const DEFAULT_TX_TIMEOUT_MS = 60_000;

export interface SubmitOptions {
  readonly timeoutMs?: number;
  readonly waitForFinality?: boolean;
}

/** SubmittableResult carries the block number (api ≥ 10) though ISubmittableResult does not declare it. */
function blockNumberOf(result: ISubmittableResult): number {
  const n = (result as unknown as { blockNumber?: { toNumber(): number } }).blockNumber;
  return n ? n.toNumber() : 0;
}

export function submitExtrinsic(
  api: ApiPromise,
  call: string,
  tx: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
  options: SubmitOptions = {},
): Promise<TxResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TX_TIMEOUT_MS;
  const finality = options.waitForFinality ?? false;
  return new Promise<TxResult>((resolve, reject) => {
    let settled = false;
    let unsubscribe: (() => void) | undefined;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe?.();
      outcome();
    };
    const timer = setTimeout(() => {
      const stage = finality ? 'finalized' : 'included in a block';
      finish(() => reject(amlError(CHAIN_ERRORS.AML_ERR_CHAIN_TX_TIMEOUT, [call, stage, timeoutMs])));
    }, timeoutMs);

    const onStatus = (result: ISubmittableResult) => {
      const { status } = result;
      if (
        status.isInvalid ||
        status.isDropped ||
        status.isUsurped ||
        (finality && status.isFinalityTimeout)
      ) {
        finish(() =>
          reject(amlError(CHAIN_ERRORS.AML_ERR_CHAIN_TX_INVALID, [call, `transaction ${status.type}`])),
        );
        return;
      }
      if (!status.isInBlock && !status.isFinalized) return;
      const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
      if (result.dispatchError) {
        const decoded = decodeDispatchError(
          api.registry as unknown as ErrorRegistry,
          result.dispatchError as unknown as DispatchErrorLike,
        );
        finish(() =>
          reject(
            dispatchFailed(call, decoded.name, decoded.docs || decoded.name, {
              section: decoded.section,
              blockHash,
            }),
          ),
        );
        return;
      }
      if (finality && !status.isFinalized) return;
      finish(() =>
        resolve({
          call,
          blockHash,
          blockNumber: blockNumberOf(result),
          txHash: result.txHash.toHex(),
          finalized: status.isFinalized,
        }),
      );
    };

    tx.signAndSend(signer, { nonce: -1 }, onStatus)
      .then((unsub) => {
        if (settled) unsub();
        else unsubscribe = unsub;
      })
      .catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        const decoded = decodePoolError(message);
        finish(() =>
          reject(
            amlError(CHAIN_ERRORS.AML_ERR_CHAIN_TX_INVALID, [call, message], { reason: decoded.name }, err),
          ),
        );
      });
  });
}
