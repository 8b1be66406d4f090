/**
 * One entry point for CLIs: `--subtensor.network` finney | test | local | ws(s)://url opens a
 * SubtensorClient; `local-sim` opens the LocalChain state file shared by the localnet demo's
 * processes (path from the option or AML_LOCAL_CHAIN_FILE).
 */

import type { KeyringPair } from '@polkadot/keyring/types';
import { amlError, ERRORS } from '../errors.js';
import type { ChainClient } from './chain-client.js';
import type { ConnectionEvent } from './connect.js';
import { LocalChain } from './local-chain.js';
import { resolveNetwork } from './network.js';

export interface OpenChainClientOptions {
  readonly network: string;
  readonly hotkey?: KeyringPair;
  /** LocalChain state file for `local-sim` (default: $AML_LOCAL_CHAIN_FILE). */
  readonly localChainFile?: string;
  readonly connectTimeoutMs?: number;
  readonly txTimeoutMs?: number;
  readonly waitForFinality?: boolean;
  readonly onEvent?: (event: ConnectionEvent) => void;
}

/** Creates and connects the right client. */
export async function openChainClient(options: OpenChainClientOptions): Promise<ChainClient> {
  const resolved = resolveNetwork(options.network);
  let client: ChainClient;
  if (resolved.kind === 'local-sim') {
    const file = options.localChainFile ?? process.env.AML_LOCAL_CHAIN_FILE;
    if (!file) {
      throw amlError(ERRORS.AML_ERR_CHAIN_NETWORK_UNKNOWN, [
        'local-sim without a state file (set --subtensor.local_chain_file or AML_LOCAL_CHAIN_FILE)',
      ]);
    }
    // The state file is the transport: retried with backoff for as long as a node connection would be.
    client = LocalChain.openFile(file, {
      hotkey: options.hotkey,
      unavailableTimeoutMs: options.connectTimeoutMs ?? 15_000,
      onEvent: options.onEvent,
    });
  } else {
    // loaded here, not at start: @polkadot/api is the largest thing a bin would otherwise import
    // before parsing its flags, and local-sim runs (and --help) never need it
    const { SubtensorClient } = await import('./subtensor-client.js');
    client = new SubtensorClient({ ...options, network: resolved.url });
  }
  await client.connect();
  return client;
}
