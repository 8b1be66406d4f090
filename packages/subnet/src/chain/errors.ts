/**
 * The chain client's error helpers; its codes (AML_ERR_CHAIN_<WHAT>) are entries of the package's
 * one table in src/errors.ts. Errors that stand for a runtime refusal carry the runtime's own error name in `details.reason`
 * (`SettingWeightsTooFast`, `NeuronNoValidatorPermit`, ...), so callers branch on one string whether
 * the refusal came from our pre-checks, from the LocalChain or from a real dispatch error.
 */
import { AmlError, amlError, ERRORS, hasErrorCode } from '../errors.js';

/** A refusal explained before any fee is paid; `reason` is the runtime error name it anticipates. */
export function refused(call: string, reason: string, explanation: string, details?: object): AmlError {
  return amlError(ERRORS.AML_ERR_CHAIN_REFUSED, [call, reason, explanation], { reason, ...details });
}

/** A dispatch failure (real chain or LocalChain) named by its module error. */
export function dispatchFailed(
  call: string,
  reason: string,
  explanation: string,
  details?: object,
): AmlError {
  return amlError(ERRORS.AML_ERR_CHAIN_TX_FAILED, [call, reason, explanation], { reason, ...details });
}

/** The runtime error name carried by a chain error, if any. */
export function chainErrorReason(err: unknown): string | undefined {
  if (!(err instanceof AmlError)) return undefined;
  const details = err.details as { reason?: unknown } | undefined;
  return typeof details?.reason === 'string' ? details.reason : undefined;
}

/** Tells a refusal predicted before sending (nothing reached the chain) from other failures. */
export function isChainRefusal(err: unknown): boolean {
  return hasErrorCode(err, ERRORS.AML_ERR_CHAIN_REFUSED);
}

/** The chain included the call and its dispatch failed: it landed, so its outcome is known. */
export function isDispatchFailure(err: unknown): boolean {
  return hasErrorCode(err, ERRORS.AML_ERR_CHAIN_TX_FAILED);
}
