/**
 * The axon proxy's link to the chain: a metagraph kept fresh for the blacklist (registration,
 * validator permit, stake), and serve_axon at start. Each metagraph refresh compares what the chain
 * advertises for our hotkey with our address and serves again when they differ (a changed IP or
 * port, or a chain that lost the entry).
 */
import type { Logger } from 'pino';
import type { ChainClient } from '../chain/chain-client.js';
import { MetagraphSync } from '../chain/metagraph-lookup.js';
import { openChainClient } from '../chain/open-chain-client.js';
import { amlError, ERRORS } from '../errors.js';
import { WIRE_VERSION } from '../protocol/version.js';
import type { Hotkey } from '../wallet/hotkey.js';
import type { MinerChainLink } from './neuron-registry.js';

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/**
 * Whether `--subtensor.network` names a chain on this machine (`local`, `local-sim`, or a ws(s)://
 * URL on a loopback host such as a chopsticks dev chain): its miners may advertise loopback axons.
 */
export function isLocalNetwork(network: string): boolean {
  const name = network.trim();
  if (name === 'local' || name === 'local-sim') return true;
  if (!/^wss?:\/\//.test(name)) return false;
  try {
    // a host name, unlike an axon IP, may merely start with "127." (127.example.com); URL keeps
    // IPv6 hosts in brackets
    const host = new URL(name).hostname;
    return /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]' || host === 'localhost';
  } catch {
    return false;
  }
}

export interface ChainLinkOptions {
  network: string;
  netuid: number;
  hotkey: Hotkey;
  localChainFile?: string;
  refreshMs?: number;
  logger: Logger;
  client?: ChainClient;
}

export async function connectMinerChain(options: ChainLinkOptions): Promise<MinerChainLink> {
  const { netuid, logger } = options;
  const chain =
    options.client ??
    (await openChainClient({
      network: options.network,
      hotkey: options.hotkey.pair,
      localChainFile: options.localChainFile,
    }));
  let advertised: { ip: string; port: number } | undefined;
  let serving: Promise<void> | undefined;

  const serve = async (reason: string) => {
    if (!advertised) return;
    const { ip, port } = advertised;
    try {
      const tx = await chain.serveAxon({
        netuid,
        version: WIRE_VERSION,
        ip,
        port,
        ipType: ip.includes(':') ? 6 : 4,
        protocol: 4,
      });
      logger.info(
        { ip, port, reason, skipped: tx.skipped ?? false, block: tx.blockNumber },
        'axon served on chain',
      );
    } catch (err) {
      logger.error(
        { err: (err as Error).message, ip, port },
        'serve_axon failed; will retry on the next metagraph refresh',
      );
    }
  };

  const sync = new MetagraphSync(chain, netuid, {
    intervalMs: options.refreshMs ?? 60_000,
    onSnapshot: (snapshot) => {
      if (!advertised || serving) return;
      const own = snapshot.neurons.find((n) => n.hotkey === options.hotkey.ss58Address);
      if (!own) {
        logger.warn(
          { hotkey: options.hotkey.ss58Address, netuid },
          'our hotkey is not registered on the subnet',
        );
        return;
      }
      if (own.axon?.ip !== advertised.ip || own.axon?.port !== advertised.port) {
        serving = serve(own.axon ? `chain has ${own.axon.ip}:${own.axon.port}` : 'no axon on chain').finally(
          () => {
            serving = undefined;
          },
        );
      }
    },
    onError: (err) => logger.warn({ err: (err as Error).message }, 'metagraph refresh failed'),
  });
  await sync.start();

  return {
    registry: sync,
    async afterListen(address) {
      if (!isLocalNetwork(options.network) && LOOPBACK.test(address.ip)) {
        throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
          `refusing to serve a loopback axon address (${address.ip}) on ${options.network}: pass --axon.external_ip`,
        ]);
      }
      advertised = address;
      await serve('start');
    },
    async close() {
      sync.stop();
      await chain.close();
    },
  };
}
