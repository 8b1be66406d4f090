#!/usr/bin/env -S node --max-semi-space-size=64
// The `aml-miner-proxy` bin. A committed shim, so that npm links the bin at install time, before `dist/` is built.
import('../dist/cli/miner-proxy.js').catch((err) => {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/cli/')) {
    process.stderr.write(
      'aml-miner-proxy: the package is not built yet; run `npm run build` at the repository root first\n',
    );
    process.exit(1);
  }
  throw err;
});
