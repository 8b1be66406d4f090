/**
 * A fleet of miners on 127.0.0.1 for validator tests: for each named behaviour, a behaving miner
 * API and a real axon proxy in front of it, signing as its own sr25519 hotkey and accepting only
 * the given validator. `neurons` is the matching LocalChain seed (validator first, uid 0).
 */
import { Keyring } from '@polkadot/keyring';
import { AxonProxy } from '../../../src/axon/axon-server.js';
import { StaticNeuronRegistry } from '../../../src/axon/neuron-registry.js';
import type { LocalChainSeed } from '../../../src/chain/local-chain-seed.js';
import { cryptoReady } from '../../../src/protocol/signing.js';
import { type BehavingApi, type Behaviour, startBehavingMinerApi, type Truth } from './behaving-miner-api.js';

export interface FleetMiner {
  name: string;
  hotkey: string;
  port: number;
  api: BehavingApi;
  proxy: AxonProxy;
}

export interface Fleet {
  miners: FleetMiner[];
  byName(name: string): FleetMiner;
  neurons: NonNullable<LocalChainSeed['subnets']>[number]['neurons'];
  close(): Promise<void>;
}

/** `specs` in uid order (and registration order); a `copy` behaviour may name an earlier miner with `{ kind: 'copy', fromUrl: '@name' }`. */
export async function startFleet(
  validatorHotkey: string,
  specs: ReadonlyArray<{ name: string; behaviour: Behaviour }>,
  seedBase = 40,
  truth?: Truth,
): Promise<Fleet> {
  await cryptoReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const miners: FleetMiner[] = [];
  for (const [i, spec] of specs.entries()) {
    const pair = keyring.addFromSeed(new Uint8Array(32).fill(seedBase + i));
    let behaviour = spec.behaviour;
    if (behaviour.kind === 'copy' && behaviour.fromUrl.startsWith('@')) {
      const sourceName = behaviour.fromUrl.slice(1);
      const source = miners.find((m) => m.name === sourceName);
      if (!source) throw new Error(`copy source @${sourceName} must come earlier`);
      behaviour = { kind: 'copy', fromUrl: source.api.url };
    }
    const api = await startBehavingMinerApi(behaviour, `${spec.name}-model-1.0`, truth);
    const proxy = new AxonProxy({
      hotkey: pair,
      minerApiUrl: api.url,
      registry: StaticNeuronRegistry.validators([validatorHotkey], 1000),
      host: '127.0.0.1',
      port: 0,
    });
    const { port } = await proxy.listen();
    miners.push({ name: spec.name, hotkey: pair.address, port, api, proxy });
  }
  return {
    miners,
    byName: (name) => {
      const m = miners.find((x) => x.name === name);
      if (!m) throw new Error(`no miner ${name}`);
      return m;
    },
    neurons: [
      { hotkey: validatorHotkey, coldkey: validatorHotkey, stake: 1000, validatorPermit: true },
      ...miners.map((m) => ({
        hotkey: m.hotkey,
        coldkey: m.hotkey,
        stake: 10,
        axon: { ip: '127.0.0.1', port: m.port },
        registeredAt: 100 + miners.indexOf(m),
      })),
    ],
    async close() {
      await Promise.all(miners.map((m) => m.proxy.close()));
      await Promise.all(miners.map((m) => m.api.close()));
    },
  };
}
