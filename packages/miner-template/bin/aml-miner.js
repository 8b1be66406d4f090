#!/usr/bin/env -S node --expose-gc
// The `aml-miner` bin. A committed shim, so that npm links the bin at install time, before `dist/` is built.
import { setFlagsFromString } from 'node:v8';

// `gbdt train` keeps V8's young generation at its starting size (why: keepYoungGenerationSmall in
// cli/commands/gbdt-train-action.ts); set here, before the CLI's modules load, as their loading
// would already grow it once.
if (process.argv[2] === 'gbdt' && process.argv[3] === 'train')
  setFlagsFromString('--semi-space-growth-factor=1');

import('../dist/cli/main.js').catch((err) => {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/cli/')) {
    process.stderr.write(
      'aml-miner: the package is not built yet; run `npm run build` at the repository root first\n',
    );
    process.exit(1);
  }
  throw err;
});
