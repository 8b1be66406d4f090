#!/usr/bin/env node
/** Entry point of the `aml-miner-proxy` bin: parses argv and reports failures as one clean line. */
import { isAmlError } from '../errors.js';
import { buildMinerProxyProgram } from '../miner/cli-program.js';

buildMinerProxyProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    const message = isAmlError(err) ? `${err.code}: ${err.message}` : String((err as Error)?.stack ?? err);
    process.stderr.write(`aml-miner-proxy: ${message}\n`);
    process.exit(1);
  });
