#!/usr/bin/env -S node --max-semi-space-size=64
/** Entry point of the `aml-validator` bin: parses argv with the shared CLI conventions (one-line errors, exit 2 for usage). */
import { addVersion, runCli } from '@aml/miner-template/cli';
import { buildValidatorProgram } from '../validator/cli-program.js';

await runCli(
  addVersion(buildValidatorProgram(), new URL('../../package.json', import.meta.url)),
  process.argv,
);
