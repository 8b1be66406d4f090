import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LocalChain } from '../chain/local-chain.js';
import { cryptoReady } from '../protocol/signing.js';
import { loadHotkeyFromEnv } from '../wallet/hotkey.js';
import { connectMinerChain, isLocalNetwork } from './chain-link.js';

describe('isLocalNetwork', () => {
  it('treats local, local-sim and ws(s) URLs on loopback hosts as local', () => {
    for (const n of [
      'local',
      'local-sim',
      'ws://127.0.0.1:9944',
      'ws://127.0.0.5:1234',
      'ws://localhost:9944',
      'wss://localhost',
      'ws://[::1]:9944',
      ' ws://127.0.0.1:9944 ',
    ])
      expect(isLocalNetwork(n), n).toBe(true);
  });

  it('treats named public networks and other hosts as remote', () => {
    for (const n of [
      'finney',
      'test',
      'wss://entrypoint-finney.opentensor.ai:443',
      'ws://10.0.0.2:9944',
      'ws://128.0.0.1:9944',
      'ws://127.example.com:9944',
      'ws://localhost.example.com:9944',
      'http://127.0.0.1:9944',
      'ws://',
    ])
      expect(isLocalNetwork(n), n).toBe(false);
  });
});

describe('connectMinerChain loopback check', () => {
  const NETUID = 3;
  const link = async (network: string) => {
    await cryptoReady();
    const hotkey = loadHotkeyFromEnv({ AML_HOTKEY_SEED: `0x${'41'.repeat(32)}` })!;
    const chain = LocalChain.inMemory(
      {
        startBlock: 10,
        blockTimeMs: 0,
        subnets: [{ netuid: NETUID, neurons: [{ hotkey: hotkey.ss58Address, coldkey: hotkey.ss58Address }] }],
      },
      { hotkey: hotkey.pair },
    );
    const l = await connectMinerChain({
      network,
      netuid: NETUID,
      hotkey,
      logger: pino({ level: 'silent' }),
      client: chain,
    });
    return { l, chain, hotkey };
  };

  it('serves a loopback axon on a chain reached over loopback', async () => {
    const { l, chain, hotkey } = await link('ws://127.0.0.1:9944');
    await l.afterListen!({ ip: '127.0.0.2', port: 8091 });
    const mg = await chain.metagraph(NETUID, { refresh: true });
    expect(mg.neurons.find((n) => n.hotkey === hotkey.ss58Address)?.axon).toMatchObject({
      ip: '127.0.0.2',
      port: 8091,
    });
    await l.close!();
  });

  it('refuses a loopback axon on a remote chain', async () => {
    const { l } = await link('wss://entrypoint-finney.opentensor.ai:443');
    await expect(l.afterListen!({ ip: '127.0.0.2', port: 8091 })).rejects.toMatchObject({
      code: 'AML_ERR_CONFIG_INVALID',
    });
    await l.close!();
  });
});
