#!/usr/bin/env bash
# Downloads SOT batches: a thin wrapper over `aml-miner download` (see `aml-miner download --help`).
# Example: scripts/download_batch.sh --network torus --base-url https://host/batches \
#            --start-date 2025-01-01 --end-date 2025-01-31 --window-days 7 --out data
# Runs in the caller's directory (so a relative --out is relative to it); the CLI is resolved from
# the repository this script lives in.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# before `npm run build` the CLI has no dist/ yet: run it from source instead
if [[ ! -f "$repo_root/packages/miner-template/dist/cli/main.js" ]]; then
  exec npx --prefix "$repo_root" tsx "$repo_root/packages/miner-template/src/cli/main.ts" download "$@"
fi
exec npx --prefix "$repo_root" aml-miner download "$@"
