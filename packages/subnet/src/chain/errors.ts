/**
 * The chain client's error table, in the style of the package's src/errors.ts (which the lead may
 * merge it into): stable codes AML_ERR_CHAIN_<WHAT>, an HTTP-like status and a message template.
 * Errors that stand for a runtime refusal carry the runtime's own error name in `details.reason`
 * (`SettingWeightsTooFast`, `NeuronNoValidatorPermit`, ...), so callers branch on one string whether
 * the refusal came from our pre-checks, from the LocalChain or from a real dispatch error.
 */
import type { AmlErrorDefinition } from '@aml/miner-template';
import { AmlError, amlError } from '@aml/miner-template';

function define(code: string, status: number, message: string): AmlErrorDefinition {
  return Object.freeze({ code, status, message });
}

export const CHAIN_ERRORS = {
  AML_ERR_CHAIN_NETWORK_UNKNOWN: define(
    'AML_ERR_CHAIN_NETWORK_UNKNOWN',
    400,
    "unknown subtensor network '%s': expected finney | test | local | local-sim | ws(s)://host:port",
  ),
  AML_ERR_CHAIN_UNREACHABLE: define(
    'AML_ERR_CHAIN_UNREACHABLE',
    503,
    'cannot connect to subtensor at %s within %s ms: %s',
  ),
  AML_ERR_CHAIN_NOT_CONNECTED: define(
    'AML_ERR_CHAIN_NOT_CONNECTED',
    503,
    'chain client is not connected: %s',
  ),
  AML_ERR_CHAIN_STORAGE_MISSING: define(
    'AML_ERR_CHAIN_STORAGE_MISSING',
    502,
    'the connected runtime has no storage SubtensorModule.%s (needed for %s)',
  ),
  AML_ERR_CHAIN_WEIGHTS_INVALID: define('AML_ERR_CHAIN_WEIGHTS_INVALID', 400, 'invalid weights: %s'),
  AML_ERR_CHAIN_REFUSED: define('AML_ERR_CHAIN_REFUSED', 409, '%s refused before sending (%s): %s'),
  AML_ERR_CHAIN_TIMELOCK_UNSUPPORTED: define(
    'AML_ERR_CHAIN_TIMELOCK_UNSUPPORTED',
    501,
    'timelocked (drand) commit-reveal is out of scope for this client: %s',
  ),
  AML_ERR_CHAIN_TX_TIMEOUT: define(
    'AML_ERR_CHAIN_TX_TIMEOUT',
    504,
    '%s was not %s within %s ms (it may still be included later; the subscription was dropped)',
  ),
  AML_ERR_CHAIN_TX_FAILED: define('AML_ERR_CHAIN_TX_FAILED', 502, '%s failed on chain (%s): %s'),
  AML_ERR_CHAIN_TX_INVALID: define('AML_ERR_CHAIN_TX_INVALID', 502, '%s was rejected by the node: %s'),
  AML_ERR_CHAIN_AXON_INVALID: define('AML_ERR_CHAIN_AXON_INVALID', 400, 'invalid axon %s: %s'),
  AML_ERR_CHAIN_SIGNER: define('AML_ERR_CHAIN_SIGNER', 400, '%s needs a signing key pair: %s'),
  AML_ERR_CHAIN_NOT_REGISTERED: define(
    'AML_ERR_CHAIN_NOT_REGISTERED',
    404,
    'hotkey %s is not registered on netuid %s',
  ),
  AML_ERR_CHAIN_SUBNET_UNKNOWN: define('AML_ERR_CHAIN_SUBNET_UNKNOWN', 404, 'netuid %s does not exist on %s'),
  AML_ERR_CHAIN_LOCAL_STATE: define('AML_ERR_CHAIN_LOCAL_STATE', 500, 'local chain state %s: %s'),
} as const satisfies Record<string, AmlErrorDefinition>;

export type ChainErrorCode = keyof typeof CHAIN_ERRORS;

/** A refusal explained before any fee is paid; `reason` is the runtime error name it anticipates. */
export function refused(call: string, reason: string, explanation: string, details?: object): AmlError {
  return amlError(CHAIN_ERRORS.AML_ERR_CHAIN_REFUSED, [call, reason, explanation], { reason, ...details });
}

/** A dispatch failure (real chain or LocalChain) named by its module error. */
export function dispatchFailed(
  call: string,
  reason: string,
  explanation: string,
  details?: object,
): AmlError {
  return amlError(CHAIN_ERRORS.AML_ERR_CHAIN_TX_FAILED, [call, reason, explanation], { reason, ...details });
}

/** The runtime error name carried by a chain error, if any. */
export function chainErrorReason(err: unknown): string | undefined {
  if (!(err instanceof AmlError)) return undefined;
  const details = err.details as { reason?: unknown } | undefined;
  return typeof details?.reason === 'string' ? details.reason : undefined;
}
