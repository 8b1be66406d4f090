#!/usr/bin/env -S node --max-semi-space-size=64
/** Entry point of the `aml-validator` bin: parses argv and reports failures as one clean line. */
import { isAmlError } from '../errors.js';
import { buildValidatorProgram } from '../validator/cli-program.js';

buildValidatorProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    const message = isAmlError(err) ? `${err.code}: ${err.message}` : String((err as Error)?.stack ?? err);
    process.stderr.write(`aml-validator: ${message}\n`);
    process.exit(1);
  });
