#!/usr/bin/env -S node --max-semi-space-size=64
/** Entry point of the `aml-miner-proxy` bin: wires the chain client in and parses argv with the shared CLI conventions. */
import { addVersion, runCli } from '@aml/miner-template/cli';
import { pino } from 'pino';
import { connectMinerChain } from '../axon/chain-link.js';
import { buildMinerProxyProgram } from '../axon/cli-program.js';

const program = buildMinerProxyProgram({
  createRegistry: (network, netuid, hotkey, opts) =>
    connectMinerChain({
      network,
      netuid,
      hotkey,
      localChainFile: opts['subtensor.local_chain_file'] as string | undefined,
      logger: pino({ level: String(opts['logging.level'] ?? 'info') }),
    }),
});
await runCli(addVersion(program, new URL('../../package.json', import.meta.url)), process.argv);
