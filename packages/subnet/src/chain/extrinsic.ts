/**
 * Signs one extrinsic with a mortal era, hands its hash and era to the caller before anything is
 * sent (so a crash after that point leaves a record the chain can settle), then sends it and waits
 * for inclusion (or finality) under a hard timeout, always unsubscribing, so a caller is never
 * left hanging (the Python SDK's set_weights blocking forever is the failure this exists to
 * avoid). Dispatch errors are named through the metadata; pool rejections through subtensor's
 * custom transaction codes.
 */

import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import { amlError, ERRORS } from '../errors.js';
import {
  type DispatchErrorLike,
  decodeDispatchError,
  decodePoolError,
  type ErrorRegistry,
} from './dispatch-error.js';
import { eraBirth, eraPeriod } from './era.js';
import { dispatchFailed } from './errors.js';
import type { MortalEra, SignedExtrinsic, TxResult } from './types.js';

export const DEFAULT_TX_TIMEOUT_MS = 60_000;

export interface SubmitOptions {
  readonly timeoutMs?: number;
  readonly waitForFinality?: boolean;
  readonly eraPeriod?: number;
  readonly onSigned?: (signed: SignedExtrinsic) => void | Promise<void>;
}

interface EraCodec {
  readonly isMortalEra: boolean;
  readonly asMortalEra: { period: { toNumber(): number }; phase: { toNumber(): number } };
}

/**
 * Signs with a mortal era (polkadot-js takes the era from the best header) and reads back the era
 * it encoded. The birth is computed against the best block after signing: that is the signing
 * block's era unless the whole era passed meanwhile, and then a later birth only makes us wait longer.
 */
async function signMortal(
  api: ApiPromise,
  call: string,
  tx: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
  period: number,
): Promise<SignedExtrinsic> {
  try {
    await tx.signAsync(signer, { nonce: -1, era: period });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw amlError(ERRORS.AML_ERR_CHAIN_TX_INVALID, [call, `signing failed: ${message}`], undefined, err);
  }
  const encoded = (tx as unknown as { era: EraCodec }).era;
  if (!encoded?.isMortalEra) {
    throw amlError(ERRORS.AML_ERR_CHAIN_TX_INVALID, [call, 'the node signed an immortal extrinsic']);
  }
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const mortal = encoded.asMortalEra;
  const era: MortalEra = {
    period: mortal.period.toNumber(),
    birth: eraBirth(mortal.phase.toNumber(), mortal.period.toNumber(), best),
  };
  return { call, txHash: tx.hash.toHex(), era };
}

/** SubmittableResult carries the block number (api ≥ 10) though ISubmittableResult does not declare it. */
function blockNumberOf(result: ISubmittableResult): number {
  const n = (result as unknown as { blockNumber?: { toNumber(): number } }).blockNumber;
  return n ? n.toNumber() : 0;
}

export async function submitExtrinsic(
  api: ApiPromise,
  call: string,
  tx: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
  options: SubmitOptions = {},
): Promise<TxResult> {
  const signed = await signMortal(api, call, tx, signer, eraPeriod(options.eraPeriod));
  // A throw here (the caller could not record the era) aborts before anything is sent.
  await options.onSigned?.(signed);
  return sendSigned(api, signed, tx, options);
}

function sendSigned(
  api: ApiPromise,
  signed: SignedExtrinsic,
  tx: SubmittableExtrinsic<'promise'>,
  options: SubmitOptions,
): Promise<TxResult> {
  const { call } = signed;
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
      finish(() => reject(amlError(ERRORS.AML_ERR_CHAIN_TX_TIMEOUT, [call, stage, timeoutMs])));
    }, timeoutMs);

    const onStatus = (result: ISubmittableResult) => {
      const { status } = result;
      if (
        status.isInvalid ||
        status.isDropped ||
        status.isUsurped ||
        (finality && status.isFinalityTimeout)
      ) {
        finish(() => reject(amlError(ERRORS.AML_ERR_CHAIN_TX_INVALID, [call, `transaction ${status.type}`])));
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
          txHash: signed.txHash,
          finalized: status.isFinalized,
          era: signed.era,
        }),
      );
    };

    tx.send(onStatus)
      .then((unsub) => {
        if (settled) unsub();
        else unsubscribe = unsub;
      })
      .catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        const decoded = decodePoolError(message);
        finish(() =>
          reject(amlError(ERRORS.AML_ERR_CHAIN_TX_INVALID, [call, message], { reason: decoded.name }, err)),
        );
      });
  });
}
