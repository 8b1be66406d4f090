/**
 * The subnet's one error table, in the style of @aml/miner-template's: every error the subnet can
 * raise (the chain client's included) has a stable code `AML_ERR_<AREA>_<WHAT>`, an HTTP status
 * and a message template. The error class, the entry builder and `hasErrorCode` are the
 * template's, so both packages throw the same `AmlError`. docs/errors.md lists every entry; a test
 * keeps the two in step.
 */
import {
  type AmlErrorDefinition,
  defineError as define,
  ERRORS as TEMPLATE_ERRORS,
} from '@aml/miner-template/errors';

export type { AmlErrorDefinition } from '@aml/miner-template/errors';
export { AmlError, amlError, hasErrorCode, isAmlError } from '@aml/miner-template/errors';

export const ERRORS = {
  // protocol (axon ⇄ dendrite wire format)
  AML_ERR_PROTOCOL_HEADER: define('AML_ERR_PROTOCOL_HEADER', 400, 'invalid synapse header %s: %s'),
  AML_ERR_PROTOCOL_BODY: define('AML_ERR_PROTOCOL_BODY', 400, 'invalid synapse body: %s'),
  AML_ERR_PROTOCOL_SIGNATURE: define('AML_ERR_PROTOCOL_SIGNATURE', 401, 'signature rejected: %s'),
  AML_ERR_PROTOCOL_NONCE: define('AML_ERR_PROTOCOL_NONCE', 401, 'nonce rejected: %s'),
  AML_ERR_PROTOCOL_BODY_HASH: define(
    'AML_ERR_PROTOCOL_BODY_HASH',
    400,
    'body hash mismatch: header says %s, body hashes to %s',
  ),
  // a peer's body or answer past the size we agreed to buffer (each end maps it to its own answer)
  AML_ERR_PROTOCOL_TOO_LARGE: define('AML_ERR_PROTOCOL_TOO_LARGE', 413, 'body exceeds %s bytes'),
  AML_ERR_PROTOCOL_CODING: define(
    'AML_ERR_PROTOCOL_CODING',
    415,
    'unsupported Content-Encoding %s; this axon accepts %s (or none)',
  ),
  // wallets
  AML_ERR_WALLET_NOT_FOUND: define('AML_ERR_WALLET_NOT_FOUND', 404, 'hotkey file not found: %s'),
  AML_ERR_WALLET_ENCRYPTED: define(
    'AML_ERR_WALLET_ENCRYPTED',
    400,
    'hotkey file %s is encrypted (%s); supported: an unencrypted Bittensor hotkey JSON file (secretPhrase or secretSeed), or AML_HOTKEY_MNEMONIC / AML_HOTKEY_SEED in the environment',
  ),
  AML_ERR_WALLET_FORMAT: define('AML_ERR_WALLET_FORMAT', 400, 'cannot read hotkey %s: %s'),
  AML_ERR_WALLET_ADDRESS_MISMATCH: define(
    'AML_ERR_WALLET_ADDRESS_MISMATCH',
    400,
    'hotkey %s: expected ss58Address %s, the key derives %s',
  ),
  AML_ERR_WALLET_EXISTS: define('AML_ERR_WALLET_EXISTS', 409, 'hotkey file already exists: %s'),
  // axon proxy
  AML_ERR_AXON_UNKNOWN_SYNAPSE: define(
    'AML_ERR_AXON_UNKNOWN_SYNAPSE',
    404,
    "synapse '%s' not found; available: %s",
  ),
  AML_ERR_AXON_BLACKLISTED: define('AML_ERR_AXON_BLACKLISTED', 403, 'Forbidden. Key is blacklisted: %s'),
  AML_ERR_AXON_BODY_TOO_LARGE: define(
    'AML_ERR_AXON_BODY_TOO_LARGE',
    413,
    'request body exceeds %s bytes (%s MB): the miner raises the limit with --axon.max_body_mb',
  ),
  AML_ERR_AXON_OVERLOADED: define('AML_ERR_AXON_OVERLOADED', 503, 'axon overloaded: %s'),
  AML_ERR_AXON_TIMEOUT: define('AML_ERR_AXON_TIMEOUT', 408, 'request timed out after %s s'),
  AML_ERR_AXON_INTERNAL: define('AML_ERR_AXON_INTERNAL', 500, 'internal error: %s'),
  // validator store
  AML_ERR_STORE_NOT_FOUND: define('AML_ERR_STORE_NOT_FOUND', 404, 'no validator store at %s: %s'),
  AML_ERR_STORE_FORMAT: define('AML_ERR_STORE_FORMAT', 400, 'cannot open %s as a validator store: %s'),
  AML_ERR_STORE_UNREACHABLE: define(
    'AML_ERR_STORE_UNREACHABLE',
    503,
    'cannot open the PostgreSQL store at %s: %s',
  ),
  AML_ERR_STORE_NO_BATCH: define('AML_ERR_STORE_NO_BATCH', 404, 'no canonical scores stored for %s; %s'),
  // validator dashboard (answered as JSON by its API, never a crash)
  AML_ERR_DASHBOARD_BAD_QUERY: define('AML_ERR_DASHBOARD_BAD_QUERY', 400, 'invalid query parameter %s: %s'),
  AML_ERR_DASHBOARD_HOST: define(
    'AML_ERR_DASHBOARD_HOST',
    403,
    'host %s refused: the dashboard listens on loopback and answers only to localhost names',
  ),
  AML_ERR_DASHBOARD_NOT_FOUND: define('AML_ERR_DASHBOARD_NOT_FOUND', 404, 'no dashboard page or endpoint %s'),
  AML_ERR_DASHBOARD_METHOD: define(
    'AML_ERR_DASHBOARD_METHOD',
    405,
    'method %s not allowed: the dashboard is read only',
  ),
  AML_ERR_DASHBOARD_READ: define('AML_ERR_DASHBOARD_READ', 500, 'the dashboard could not read the store: %s'),
  // chain client; refusals carry the runtime's error name in details.reason (chain/errors.ts)
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
  // configuration / cli
  // the template's definition, so a configuration error reads the same from every CLI
  AML_ERR_CONFIG_INVALID: TEMPLATE_ERRORS.AML_ERR_CONFIG_INVALID,
} as const satisfies Record<string, AmlErrorDefinition>;

export type SubnetErrorCode = keyof typeof ERRORS;
