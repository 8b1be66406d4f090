#!/usr/bin/env -S node --max-semi-space-size=64
/** Entry point of the `aml-miner-proxy` bin: wires the chain client in, parses argv, reports failures as one clean line. */
import { pino } from 'pino';
import { isAmlError } from '../errors.js';
import { connectMinerChain } from '../miner/chain-link.js';
import { buildMinerProxyProgram } from '../miner/cli-program.js';

buildMinerProxyProgram({
  createRegistry: (network, netuid, hotkey, opts) =>
    connectMinerChain({
      network,
      netuid,
      hotkey,
      localChainFile: opts['subtensor.local_chain_file'] as string | undefined,
      logger: pino({ level: String(opts['logging.level'] ?? 'info') }),
    }),
})
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    const message = isAmlError(err) ? `${err.code}: ${err.message}` : String((err as Error)?.stack ?? err);
    process.stderr.write(`aml-miner-proxy: ${message}\n`);
    process.exit(1);
  });
