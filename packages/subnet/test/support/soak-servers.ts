/**
 * The servers a soak run loads, as the built bins in their own processes (so their RSS is theirs
 * alone): `aml-miner serve` with the shipped models, and `aml-miner-proxy` in front of it letting
 * in the given validator hotkeys (allow-list only, no chain).
 */
import { Keyring } from '@polkadot/keyring';
import { cryptoReady } from '../../src/protocol/signing.js';
import { type BinProcess, freePort, startMinerApiBin, startProxyBin } from './bin-process.js';

export interface SoakServers {
  readonly api: BinProcess;
  readonly apiUrl: string;
  readonly proxy: BinProcess;
  readonly axon: { ip: string; port: number; hotkey: string };
  close(): Promise<void>;
}

const MINER_SEED = `0x${'55'.repeat(32)}`;

export async function startSoakServers(validators: readonly string[]): Promise<SoakServers> {
  await cryptoReady();
  const hotkey = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(MINER_SEED).address;
  const [apiPort, axonPort] = [await freePort(), await freePort()];
  const { api, url: apiUrl } = await startMinerApiBin(apiPort);
  const proxy = await startProxyBin(apiUrl, axonPort, MINER_SEED, [
    '--netuid',
    '1',
    '--axon.max_queued',
    '256',
    '--blacklist.allowed_hotkeys',
    validators.join(','),
  ]);
  return {
    api,
    apiUrl,
    proxy,
    axon: { ip: '127.0.0.1', port: axonPort, hotkey },
    async close() {
      for (const p of [proxy, api]) {
        p.kill();
        await p.exited;
      }
    },
  };
}
