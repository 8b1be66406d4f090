/**
 * Resolves `--subtensor.network` to an endpoint. Names follow the Bittensor SDK's settings
 * (bittensor/core/settings.py): finney, test, local; `local-sim` selects the in-process/file-backed
 * LocalChain instead of a websocket. Anything else must be a ws:// or wss:// URL.
 */
import { amlError, ERRORS } from '../errors.js';

export const NETWORK_ENDPOINTS = Object.freeze({
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  local: 'ws://127.0.0.1:9944',
});

export type ResolvedNetwork =
  | { readonly kind: 'websocket'; readonly name: string; readonly url: string }
  | { readonly kind: 'local-sim'; readonly name: 'local-sim' };

export function resolveNetwork(network: string): ResolvedNetwork {
  const name = network.trim();
  if (name === 'local-sim') return { kind: 'local-sim', name };
  if (Object.hasOwn(NETWORK_ENDPOINTS, name)) {
    return { kind: 'websocket', name, url: NETWORK_ENDPOINTS[name as keyof typeof NETWORK_ENDPOINTS] };
  }
  if (/^wss?:\/\/[^\s/]+/.test(name)) {
    try {
      const url = new URL(name);
      return { kind: 'websocket', name: url.host, url: name };
    } catch {
      // fall through to the named error
    }
  }
  throw amlError(ERRORS.AML_ERR_CHAIN_NETWORK_UNKNOWN, [network]);
}
