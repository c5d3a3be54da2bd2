#!/usr/bin/env bash
# The README's first command: installs dependencies when needed, then brings up the embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[cs-cases] installing dependencies (npm install, from the lock file)…"
  npm install --no-audit --no-fund
fi
exec node_modules/.bin/tsx scripts/start.ts "$@"
