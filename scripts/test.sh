#!/usr/bin/env bash
# The whole test command (`npm test`): installs the npm dependencies when needed, runs vitest (arguments
# pass through; a Temporal dev server is found, built or started by test/support/global-setup.ts), and
# closes with the line CI reads: `N passed, M failed[, K skipped]`. Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

report=.test-results/vitest.json

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm dependencies (npm install, from the lock file)…"
  if ! npm install --no-audit --no-fund; then
    echo "npm install failed."
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

mkdir -p .test-results
rm -f "$report"

npx vitest run "$@"
vitest_status=$?

if [ -x node_modules/.bin/tsx ]; then
  node_modules/.bin/tsx scripts/lib/summarize-vitest.ts "$report" "$vitest_status"
  summary_status=$?
else
  echo "0 passed, 1 failed"
  summary_status=1
fi

if [ "$vitest_status" -ne 0 ] || [ "$summary_status" -ne 0 ]; then
  exit 1
fi
exit 0
